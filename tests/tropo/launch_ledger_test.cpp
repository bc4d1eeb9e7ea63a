// Which launched session sends an SMS segment: the first to arrive, once its answer is written;
// the decisions as tables (no sockets).
#include "launch_ledger.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace sb::tropo_gateway;

namespace {

// One step: a session for `id` arrives (expecting an answer), or the answer to one is written
// (`written`) or fails.
struct Step {
    enum class Kind { arrives, written, failed } kind;
    const char* id;
    LaunchLedger::Answer expected = LaunchLedger::Answer::message;  // for arrives
};

Step arrives(const char* id, LaunchLedger::Answer expected) {
    return {Step::Kind::arrives, id, expected};
}
Step written(const char* id) {
    return {Step::Kind::written, id};
}
Step failed(const char* id) {
    return {Step::Kind::failed, id};
}

}  // namespace

TEST_CASE("launch ledger: the first session of a segment sends it, later ones send nothing") {
    using Answer = LaunchLedger::Answer;
    const Answer message = Answer::message;
    const Answer nothing = Answer::nothing;
    struct Case {
        const char* what;
        std::vector<Step> steps;
        std::vector<std::string> sent;      // sent() afterwards
        std::vector<std::string> not_sent;  // !sent() afterwards
    };
    const Case cases[] = {
        {"nothing yet", {}, {}, {"c-1"}},
        {"a session arrives: answered, not sent until written",
         {arrives("c-1", message)},
         {},
         {"c-1"}},
        {"its answer written: sent", {arrives("c-1", message), written("c-1")}, {"c-1"}, {}},
        {"the segment launched again: its second session sends nothing",
         {arrives("c-1", message), written("c-1"), arrives("c-1", nothing)},
         {"c-1"},
         {}},
        {"two sessions at once: the second sends nothing while the first is answered",
         {arrives("c-1", message), arrives("c-1", nothing), written("c-1")},
         {"c-1"},
         {}},
        {"the answer could not be written: the next session sends it",
         {arrives("c-1", message), failed("c-1"), arrives("c-1", message), written("c-1")},
         {"c-1"},
         {}},
        {"a failed answer does not undo a sent segment",
         {arrives("c-1", message), written("c-1"), failed("c-1")},
         {"c-1"},
         {}},
        {"a failed answer alone: not sent", {arrives("c-1", message), failed("c-1")}, {}, {"c-1"}},
        {"segments apart",
         {arrives("c-1", message), written("c-1"), arrives("c-2", message)},
         {"c-1"},
         {"c-2"}},
        {"a session from before a restart comes first: sent before the sender gets there",
         {arrives("c-2", message), written("c-2")},
         {"c-2"},
         {"c-1"}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        LaunchLedger ledger;
        for (std::size_t i = 0; i < c.steps.size(); ++i) {
            CAPTURE(i);
            const Step& step = c.steps[i];
            switch (step.kind) {
                case Step::Kind::arrives:
                    CHECK(ledger.session_arrived(step.id) == step.expected);
                    break;
                case Step::Kind::written:
                    ledger.answer_done(step.id, true);
                    break;
                case Step::Kind::failed:
                    ledger.answer_done(step.id, false);
                    break;
            }
        }
        for (const std::string& id : c.sent) CHECK(ledger.sent(id));
        for (const std::string& id : c.not_sent) CHECK_FALSE(ledger.sent(id));
    }
}

TEST_CASE("launch ledger: it remembers a bounded number of segments, the oldest forgotten") {
    LaunchLedger ledger(3);
    for (const char* id : {"a", "b", "c", "d"}) {
        CHECK(ledger.session_arrived(id) == LaunchLedger::Answer::message);
        ledger.answer_done(id, true);
    }
    CHECK(ledger.size() == 3);
    CHECK_FALSE(ledger.sent("a"));
    CHECK(ledger.sent("b"));
    CHECK(ledger.sent("d"));
    // A session forgotten while it was answered is still remembered as sent.
    LaunchLedger small(1);
    CHECK(small.session_arrived("x") == LaunchLedger::Answer::message);
    CHECK(small.session_arrived("y") == LaunchLedger::Answer::message);  // x forgotten
    small.answer_done("x", true);
    CHECK(small.sent("x"));
    CHECK(small.size() == 1);
}
