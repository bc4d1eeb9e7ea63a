#include "sms_keywords.h"

#include <array>
#include <cctype>
#include <string>

#include "switchboard/text.h"

namespace sb::router {
namespace {

constexpr std::array<std::string_view, 8> kOptOut = {"STOP",    "UNSUBSCRIBE", "END",    "QUIT",
                                                     "STOPALL", "REVOKE",      "OPTOUT", "CANCEL"};
constexpr std::array<std::string_view, 3> kOptIn = {"START", "YES", "UNSTOP"};
constexpr std::array<std::string_view, 2> kHelp = {"HELP", "INFO"};

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_punctuation(char c) {
    return std::ispunct(static_cast<unsigned char>(c)) != 0;
}

template <size_t N>
bool among(const std::array<std::string_view, N>& words, std::string_view word) {
    for (const std::string_view candidate : words) {
        if (iequals(candidate, word)) return true;
    }
    return false;
}

}  // namespace

std::string_view keyword_word(std::string_view text) {
    text = trim(text);
    while (!text.empty() && (is_punctuation(text.back()) || is_space(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

bool bare_keyword(std::string_view text) {
    return classify_keyword(text) != Keyword::none &&
           keyword_word(text).size() == trim(text).size();
}

Keyword classify_keyword(std::string_view text) {
    const std::string_view word = keyword_word(text);
    if (word.empty() || word.size() > 16) return Keyword::none;
    if (among(kOptOut, word)) return Keyword::opt_out;
    if (among(kOptIn, word)) return Keyword::opt_in;
    if (among(kHelp, word)) return Keyword::help;
    return Keyword::none;
}

}  // namespace sb::router
