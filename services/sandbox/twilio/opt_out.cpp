#include "opt_out.h"

#include <array>

#include "switchboard/text.h"

namespace sb::sandbox::twilio {

Keyword classify_keyword(std::string_view text) {
    static constexpr std::array<std::string_view, 8> kStop = {
        "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"};
    static constexpr std::array<std::string_view, 3> kStart = {"start", "yes", "unstop"};
    static constexpr std::array<std::string_view, 2> kHelp = {"help", "info"};
    const std::string word = to_lower(trim(text));
    for (const std::string_view keyword : kStop) {
        if (word == keyword) return Keyword::stop;
    }
    for (const std::string_view keyword : kStart) {
        if (word == keyword) return Keyword::start;
    }
    for (const std::string_view keyword : kHelp) {
        if (word == keyword) return Keyword::help;
    }
    return Keyword::none;
}

std::string keyword_reply(Keyword keyword) {
    switch (keyword) {
        case Keyword::stop:
            return "You have successfully been unsubscribed. You will not receive any more "
                   "messages from this number. Reply START to resubscribe.";
        case Keyword::start:
            return "You have successfully been re-subscribed to messages from this number. Reply "
                   "HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.";
        case Keyword::help:
            return "Reply STOP to unsubscribe. Msg&Data Rates May Apply.";
        case Keyword::none:
            break;
    }
    return {};
}

std::string opt_out_type(Keyword keyword) {
    switch (keyword) {
        case Keyword::stop:
            return "STOP";
        case Keyword::start:
            return "START";
        case Keyword::help:
            return "HELP";
        case Keyword::none:
            break;
    }
    return {};
}

}  // namespace sb::sandbox::twilio
