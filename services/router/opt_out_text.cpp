#include "opt_out_text.h"

#include <cctype>

#include "opt_out.h"
#include "room_text.h"

namespace sb::router {
namespace {

std::string upper(std::string_view word) {
    std::string out;
    for (const char c : word) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::optional<std::string> keyword_note(const CustomerMessage& message) {
    if (message.channel != "sms") return std::nullopt;
    const Keyword keyword = classify_keyword(message.text);
    if (keyword == Keyword::none) return std::nullopt;
    const std::string word = escape_markdown(upper(keyword_word(message.text)));
    const std::string when = shown_time(message.received_at);
    const bool we_answer = keyword_effects(keyword, carrier_answered(message)).answer;
    switch (keyword) {
        case Keyword::opt_out:
            return "**Opted out** · " + when + ": they texted " + word +
                   ". Nothing is texted to them from now on, replies written here included, "
                   "until they text START; call them if it cannot wait. " +
                   (we_answer ? "They were sent one SMS confirming it."
                              : "Their carrier confirmed it to them.");
        case Keyword::opt_in:
            return "**Opted in** · " + when + ": they texted " + word +
                   ". Replies written here reach them by SMS again. " +
                   (we_answer ? "They were sent one SMS confirming it."
                              : "Their carrier confirmed it to them.");
        case Keyword::help:
            return "**Asked for help** · " + when + ": they texted " + word + ". " +
                   (we_answer ? "They were sent who we are and how to opt out."
                              : "Their carrier told them how to opt out.") +
                   " Reply here if they need more.";
        case Keyword::none:
            break;
    }
    return std::nullopt;
}

std::string keyword_answer(Keyword keyword, std::string_view company_name,
                           std::string_view contact_number) {
    const std::string company(company_name);
    switch (keyword) {
        case Keyword::opt_out:
            return company +
                   ": you are unsubscribed and will get no more messages from this number. "
                   "Reply START to resubscribe.";
        case Keyword::opt_in:
            return company +
                   ": you are resubscribed; our team's replies reach you again. Reply HELP for "
                   "help, STOP to opt out.";
        case Keyword::help: {
            std::string text = company + " customer service: text this number and our team replies";
            if (!contact_number.empty()) text += ", or call " + std::string(contact_number);
            return text + ". Reply STOP to opt out, START to opt back in.";
        }
        case Keyword::none:
            break;
    }
    return {};
}

std::string reply_blocked_note(std::string_view number) {
    return "**Reply not sent**: " + escape_markdown(number) +
           " opted out of SMS (they texted STOP), so this reply was not texted to them. Nothing "
           "reaches them by SMS until they text START; call them if it cannot wait.";
}

}  // namespace sb::router
