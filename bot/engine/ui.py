"""Interface strings the engine adds around content: navigation, errors, confirmations.

They are English msgids marked with ``N_`` so ``pybabel extract`` collects them; the engine
translates them at reply time. Content (what the helpline says about the law) never lives here.
"""

from __future__ import annotations

__all__ = ["N_", "erase_advice"]


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


BACK = N_("⬅ Back")
MAIN_MENU = N_("🏠 Main menu")
SOURCES = N_("📚 Sources")
LANGUAGE_PROMPT = N_("Please choose your language.")
LANGUAGE_BUTTON = N_("🌐 Language")
DISCLAIMER_REVIEWED = N_(
    "This is general information, not legal advice. Information reviewed on {date}."
)
SOURCES_TITLE = N_("Sources for this information:")
SOURCES_NONE = N_("This screen does not cite legal sources.")
STALE_BUTTON = N_(
    "That button is from an older screen, so I cannot use it. Let's start again from the main menu."
)
UNSUPPORTED = N_("I can only read text. Tap a button or write a few words.")
NOT_UNDERSTOOD = N_(
    "Sorry, I did not understand. Please use the buttons, or write a few words about your question."
)
DANGER_BUTTON = N_("🆘 I am in danger")
"""On every "I did not understand" reply; the emergency screen is one tap away."""
NOTICE = N_("📢 {text}\n(Notice reviewed on {date}.)")
"""A dated notice above the main menu; ``text`` is the notice, already translated."""
UNKNOWN_COMMAND = N_("I do not know that command. Here is the main menu.")
ERASED = N_("Done. I erased everything this helpline kept about this conversation.")
ERASE_ADVICE = {
    "web": N_(
        "I cleared this page. To remove what is left on this device, close this tab and clear "
        "this browser's history."
    ),
    "telegram": N_(
        "To remove the messages from your phone too, delete this chat: press and hold the chat "
        "(or swipe left on iPhone) and choose Delete."
    ),
    "whatsapp": N_(
        "To remove the messages from your phone too, delete this chat in WhatsApp: press and hold "
        "the chat (or swipe left on iPhone), then choose Delete chat."
    ),
    "cli": N_("To remove the messages from this screen too, close the terminal window."),
}
"""What a person must do on their own device after ``/delete``, per channel (``Event.channel``).
A new channel adds its own line here; until then it gets ``ERASE_ADVICE_OTHER``."""
ERASE_ADVICE_OTHER = N_("To remove the messages from your phone too, delete this chat in the app.")
START_AGAIN = N_("Write /start to begin again.")
HELP = N_(
    "How to use this helpline:\n"
    "• Tap the buttons, or write a few words.\n"
    "• /menu shows the main menu.\n"
    "• /language changes the language.\n"
    "• /delete erases this conversation.\n"
    "This is general information, not legal advice."
)
TOO_LONG = N_("Your message is very long. Please write just a few words about what you need.")
DID_YOU_MEAN = N_("Did you mean one of these?")


def erase_advice(channel: str) -> str:
    """The msgid telling a person how to remove the chat from their own device on ``channel``."""
    return ERASE_ADVICE.get(channel, ERASE_ADVICE_OTHER)
