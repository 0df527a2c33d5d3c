"""``python -m devkit wechat``: the WeChat API simulator standalone, and a follower typing
to a running ``/wechat/oa`` endpoint: each line read is pushed as their message (signed and,
with ``--aes-key``, encrypted as WeChat does), and the reply printed, then any
customer-service message sent to them meanwhile."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from aiohttp import ClientSession

from .api import WeChatApiSimulator
from .pusher import Follower, Mode


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("wechat", help="serve the WeChat OA API simulator; type as a follower")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082, help="the API simulator's port")
    parser.add_argument("--url", default="http://127.0.0.1:8080/wechat/oa", help="our endpoint")
    parser.add_argument("--token", required=True, help="WECHAT_OA_TOKEN of the running bot")
    parser.add_argument("--appid", default="wxdevkit00000000")
    parser.add_argument("--secret", default="devkit-secret")
    parser.add_argument("--aes-key", default=None, help="WECHAT_OA_AES_KEY: secure mode")
    parser.add_argument("--openid", default="oDevkitFollower")
    parser.set_defaults(func=main)


async def serve(args: argparse.Namespace) -> None:
    api = WeChatApiSimulator(args.appid, args.secret)
    base_url = await api.start(args.host, args.port)
    print(f"WECHAT_API_BASE={base_url} WECHAT_OA_APPID={args.appid} ...", flush=True)
    print("type a message per line (Ctrl-D ends)", flush=True)
    mode = Mode.secure if args.aes_key else Mode.plain
    seen = 0
    async with ClientSession() as http:
        follower = Follower(
            http, args.url, api, args.token, args.openid, mode=mode, aes_key=args.aes_key
        )
        try:
            while line := await asyncio.to_thread(sys.stdin.readline):
                reply = await follower.say(line.strip())
                print(reply.text if reply.text is not None else f"[{reply.body}]", flush=True)
                later = api.messages_to(args.openid)
                for text in later[seen:]:
                    print(f"[customer service] {text}", flush=True)
                seen = len(later)
        finally:
            await api.close()


def main(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0
