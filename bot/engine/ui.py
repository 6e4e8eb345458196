"""Interface strings the engine adds around content: navigation, errors, confirmations.

They are English msgids marked with ``N_`` so ``pybabel extract`` collects them; the engine
translates them at reply time. Content (what the helpline says about the law) never lives here.
"""

from __future__ import annotations

__all__ = ["N_"]


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
UNSUPPORTED = N_("I can only read text. Please write your question in words or use the buttons.")
NOT_UNDERSTOOD = N_(
    "Sorry, I did not understand. Please use the buttons, or write a few words about your question."
)
DANGER_BUTTON = N_("🆘 I am in danger")
"""On every "I did not understand" reply; the emergency screen is one tap away."""
NOTICE = N_("📢 {text}\n(Notice reviewed on {date}.)")
"""A dated notice above the main menu; ``text`` is the notice, already translated."""
UNKNOWN_COMMAND = N_("I do not know that command. Here is the main menu.")
ERASED = N_(
    "Done. I erased everything this helpline kept about this conversation. "
    "To remove the messages from your phone too, delete this chat in the app. "
    "Write /start to begin again."
)
ERASED_WHATSAPP = N_(
    "Done. I erased everything this helpline kept about this conversation. "
    "To remove the messages from your phone too: in WhatsApp, press and hold this chat in your "
    "list of chats (on an iPhone, swipe it to the left), then choose to delete the chat. "
    "Write /start to begin again."
)
ERASED_BY_CHANNEL = {"whatsapp": ERASED_WHATSAPP}
"""How to delete the chat differs by app; channels not named here get the general advice."""
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
