#include "switchboard/smart_encoding.h"

#include <utility>

namespace sb {
namespace {

// Twilio's published table, character by character (UTF-8 on the left).
constexpr std::pair<std::string_view, std::string_view> kReplacements[] = {
    // double quotation marks
    {"\u00ab", "\""},
    {"\u00bb", "\""},
    {"\u201c", "\""},
    {"\u201d", "\""},
    {"\u02ba", "\""},
    {"\u02ee", "\""},
    {"\u201e", "\""},
    {"\u201f", "\""},
    {"\u2033", "\""},
    {"\u275d", "\""},
    {"\u275e", "\""},
    {"\u301d", "\""},
    {"\u301e", "\""},
    {"\uff02", "\""},
    // single quotation marks and apostrophes
    {"\u2018", "'"},
    {"\u2019", "'"},
    {"\u201a", "'"},
    {"\u201b", "'"},
    {"\u02bb", "'"},
    {"\u02c8", "'"},
    {"\u02bc", "'"},
    {"\u02bd", "'"},
    {"\u02b9", "'"},
    {"\u2032", "'"},
    {"\uff07", "'"},
    {"\u00b4", "'"},
    {"\u02ca", "'"},
    // dashes and hyphens
    {"\u2010", "-"},
    {"\u2011", "-"},
    {"\u2012", "-"},
    {"\u2013", "-"},
    {"\u2014", "-"},
    // the ellipsis
    {"\u2026", "..."},
    // the Unicode spaces
    {"\u00a0", " "},
    {"\u2000", " "},
    {"\u2001", " "},
    {"\u2002", " "},
    {"\u2003", " "},
    {"\u2004", " "},
    {"\u2005", " "},
    {"\u2006", " "},
    {"\u2007", " "},
    {"\u2008", " "},
    {"\u2009", " "},
    {"\u200a", " "},
    {"\u202f", " "},
    {"\u205f", " "},
    {"\u3000", " "},
};

}  // namespace

std::string smart_encode(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (size_t i = 0; i < utf8.size();) {
        bool replaced = false;
        // Only a multi-byte sequence can be one of the characters replaced.
        if (static_cast<unsigned char>(utf8[i]) >= 0x80) {
            for (const auto& [from, to] : kReplacements) {
                if (utf8.compare(i, from.size(), from) == 0) {
                    out += to;
                    i += from.size();
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced) out += utf8[i++];
    }
    return out;
}

}  // namespace sb
