"""A local WeChat: the Official Account API (``api``) and WeChat's server pushing followers'
messages to our endpoint (``pusher``), for tests and the demo (``WECHAT_API_BASE``)."""

from devkit.wechat.api import Clock, CustomMessage, WeChatApiSimulator
from devkit.wechat.pusher import Follower, Mode, Pushed

__all__ = ["Clock", "CustomMessage", "Follower", "Mode", "Pushed", "WeChatApiSimulator"]
