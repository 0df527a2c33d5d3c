"""The WeChat Official Account (公众号) channel: WeChat's server pushes each follower's
message to ``/wechat/oa`` and takes one passive reply within 5 seconds; anything later goes
through the customer-service message API, which WeChat allows only within 48 hours of the
follower's last message.

``crypto`` signs and (secure mode) encrypts, ``xmlmsg`` reads and writes the XML,
``routes`` is the endpoint, ``conversation`` answers a message (search, the résumé steps,
我的报名), ``tokens`` keeps the API access token, ``customer_service`` sends late texts and
``notifier`` tells an applicant from here that their application's status changed.
"""

CHANNEL = "wechat-oa"  # the source of applications filed here, and the key names' channel
