"""Bot API method handlers, one module per family of methods."""

from __future__ import annotations

from devkit.telegram.dispatch import Handler

from . import chats, commands, editing, media, members, polling, sending


def method_table() -> dict[str, tuple[str, Handler]]:
    """Lower-cased method name -> (canonical name, handler); Telegram ignores case."""
    handlers: dict[str, Handler] = {
        "getMe": chats.get_me,
        "getChat": chats.get_chat,
        "getChatMember": chats.get_chat_member,
        "getChatMemberCount": chats.get_chat_member_count,
        "createChatInviteLink": chats.create_chat_invite_link,
        "leaveChat": chats.leave_chat,
        "getChatAdministrators": members.get_chat_administrators,
        "restrictChatMember": members.restrict_chat_member,
        "banChatMember": members.ban_chat_member,
        "unbanChatMember": members.unban_chat_member,
        "sendChatAction": chats.send_chat_action,
        "answerCallbackQuery": chats.answer_callback_query,
        "setMyCommands": commands.set_my_commands,
        "getMyCommands": commands.get_my_commands,
        "deleteMyCommands": commands.delete_my_commands,
        "sendMessage": sending.send_message,
        "copyMessage": sending.copy_message,
        "forwardMessage": sending.forward_message,
        "editMessageText": editing.edit_message_text,
        "editMessageCaption": editing.edit_message_caption,
        "editMessageReplyMarkup": editing.edit_message_reply_markup,
        "deleteMessage": editing.delete_message,
        "deleteMessages": editing.delete_messages,
        "sendDocument": media.send_document,
        "sendPhoto": media.send_photo,
        "getFile": media.get_file,
        "getUpdates": polling.get_updates,
        "setWebhook": polling.set_webhook,
        "deleteWebhook": polling.delete_webhook,
        "getWebhookInfo": polling.get_webhook_info,
    }
    return {name.lower(): (name, handler) for name, handler in handlers.items()}
