"""A WeCom (企业微信) server simulator: group robots and customer-group mass sends.

It speaks WeCom's wire format (``errcode``/``errmsg`` JSON over HTTP) and enforces what
WeCom documents:

- group robots: ``POST /cgi-bin/webhook/send?key=KEY``; 20 messages in any 60 s per robot,
  counted as a sliding window of arrivals (``45009`` over it); markdown content at most
  4,096 bytes of UTF-8 (``40058``); an unknown or removed key is ``93000``;
- the corp API: ``gettoken`` (``access_token`` valid ``expires_in`` 7,200 s; a wrong
  secret is ``40001``, an expired token ``42001``), ``externalcontact/groupchat/list`` and
  ``groupchat/get``, ``add_msg_template`` (``chat_type`` ``group``: one task per owner;
  nothing reaches a group until the owner confirms it in the client),
  ``get_groupmsg_task`` and ``get_groupmsg_send_result``.

Tests play the people: ``confirm`` is an owner confirming a task (per group: sent, or
failed with status 2 or 3). Times are simulated (``speed`` times faster than real time).
"""

from devkit.wecom.simulator import SimCustomerGroup, SimRobot, SimTask, WeComSimulator

__all__ = ["SimCustomerGroup", "SimRobot", "SimTask", "WeComSimulator"]
