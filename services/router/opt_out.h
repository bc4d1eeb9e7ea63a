#pragma once
// Who asked to receive no SMS (DESIGN §2.13). A customer who texts STOP (or a carrier that
// refuses them: Twilio's 21610) is opted out until they text START; while opted out nothing is
// texted to them but the one confirmation of their STOP (and the answers to HELP they ask for).
//
// Durable two ways:
// - in the delivery journal's memory (remembered.h: `optout.<E164>`), in the same transaction
//   as the step that learned it, so it survives kill -9 of any service;
// - in Webex, where the rooms are the directory: an opted-out customer's room title starts
//   with "[opted out] " (a RenameRoom the router sends). A router whose journal is lost reads
//   the marks at its first sync (the listing it makes anyway: no extra Webex call) and adopts
//   them. The journal wins where it has a record; a title that disagrees with it is renamed
//   back at the next sync, so the mark stays true for the next loss.
//
// Pure: a value changed only through the calls below, each change also a fact to remember.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remembered.h"
#include "sms_keywords.h"
#include "switchboard/events.h"

namespace sb::router {

inline constexpr std::string_view kOptOutPrefix = "optout.";
inline constexpr std::string_view kOptedOutMark = "[opted out] ";

// Where a customer's state came from.
enum class OptOutSource { keyword, carrier, title };

// What a keyword SMS does: the state it sets (none for HELP), and whether the router itself
// answers it by SMS (only where the carrier does not: Tropo, or Twilio with its own handling
// off). The answer goes whatever the state: the STOP confirmation is the one SMS allowed after
// a STOP, and HELP always gets an answer.
struct KeywordEffects {
    std::optional<bool> opted_out;
    bool answer = false;
    bool operator==(const KeywordEffects& other) const {
        return opted_out == other.opted_out && answer == other.answer;
    }
};
KeywordEffects keyword_effects(Keyword keyword, bool carrier_answers_keywords);
// Whether the carrier answered this keyword SMS itself: it says it answers keywords, and the
// text is the bare word. "Stop." is a STOP to the router but maybe not to the carrier, so the
// router confirms it: if the carrier did take it, it refuses that confirmation (21610) anyway.
bool carrier_answered(const CustomerMessage& message);

// The title marks: "[opted out] Tommy Tutone 2088675309". The customer's number stays at the
// end, so the directory reads the title as before.
bool title_marked(std::string_view title);
std::string marked_title(std::string_view title);    // with the mark (once)
std::string unmarked_title(std::string_view title);  // without it

class OptOuts {
  public:
    bool opted_out(const std::string& number) const;
    // Whether the journal has a record for the number (a title is then not believed).
    bool known(const std::string& number) const { return records_.count(number) > 0; }
    // The state for the customer (a keyword or a carrier's refusal): true when it changed.
    bool set(const std::string& number, bool opted_out, OptOutSource source, const std::string& at);
    // A room title's mark, for a number the journal knows nothing about (it was lost): the
    // mark is adopted and remembered. True when the customer is now opted out because of it.
    bool adopt_title(const std::string& number, std::string_view title, const std::string& at);
    // The title the customer's room should have (the mark as the state says), or nothing when
    // the title is right or the journal has no record.
    std::optional<std::string> title_wanted(const std::string& number,
                                            std::string_view title) const;

    // A keyword SMS whose answer went out (by event id): a held message handed back after a
    // restart is not answered twice. The last few per customer are kept with the state.
    bool answered(const std::string& number, const std::string& event_id) const;
    void mark_answered(const std::string& number, const std::string& event_id);

    size_t opted_out_count() const;
    std::vector<std::string> numbers() const;  // every number the journal has a record for

    // Changes since the last call (`optout.<E164>` -> {opted_out, source, at, answered}), and
    // what earlier lives kept (other keys skipped; a malformed record is skipped, not fatal).
    std::vector<Remembered> take_changes();
    void restore(const Memory& memory);

  private:
    struct Record {
        bool opted_out = false;
        std::string source;
        std::string at;
        std::vector<std::string> answered;  // event ids, oldest first
    };
    void changed(const std::string& number);

    std::map<std::string, Record> records_;  // by E.164
    std::vector<std::string> changed_;       // numbers whose record changed, to remember
};

}  // namespace sb::router
