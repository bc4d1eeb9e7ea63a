// Crash-recovery bookkeeping alone (earlier_posts.h): the post id that names the event it shows,
// and what an earlier life's results say is already in the room. Also the command ids it uses.
#include "earlier_posts.h"

#include <doctest/doctest.h>

#include <set>

#include "commands.h"

using namespace sb;
using namespace sb::router;

TEST_CASE("earlier posts: a post id names its part and event, and nothing else parses as one") {
    const auto id = post_id(2, "0123456789abcdef0123", "evt-7.with.dots");
    REQUIRE(id.has_value());
    CHECK(*id == "post.2.0123456789ab.evt-7.with.dots");
    const auto parsed = parse_post_id(*id);
    REQUIRE(parsed.has_value());
    CHECK(parsed->first == "evt-7.with.dots");
    CHECK(parsed->second == 2);

    CHECK_FALSE(post_id(0, "nonce", std::string(kMaxLinkedEventId + 1, 'e')).has_value());
    CHECK(post_id(0, "nonce", std::string(kMaxLinkedEventId, 'e')).has_value());

    struct Row {
        const char* id;
        const char* event;  // "" when it is no post id
        size_t part;
    };
    const Row rows[] = {
        {"post.0.abc.evt-1", "evt-1", 0},
        {"post.7.abc.evt-1", "evt-1", 7},
        {"post.1234.n.e", "e", 1234},
        {"post.12345.n.e", "", 0},  // more than four digits
        {"post..n.e", "", 0},
        {"post.x.n.e", "", 0},
        {"post.1.n.", "", 0},  // no event id
        {"post.1.n", "", 0},
        {"posts.1.n.e", "", 0},
        {"0123456789abcdef", "", 0},  // any other command's id
        {"", "", 0},
    };
    for (const Row& row : rows) {
        const std::string text = row.id;
        CAPTURE(text);
        const auto got = parse_post_id(row.id);
        if (row.event[0] == '\0') {
            CHECK_FALSE(got.has_value());
        } else {
            REQUIRE(got.has_value());
            CHECK(got->first == row.event);
            CHECK(got->second == row.part);
        }
    }
}

TEST_CASE("earlier posts: the furthest part seen counts, other ids are ignored, the oldest go") {
    EarlierPosts earlier(2);
    earlier.note("post.1.n.evt-a");
    earlier.note("post.0.n.evt-a");  // an older part's result, later: still two parts posted
    earlier.note("0123456789abcdef");
    CHECK(earlier.posted("evt-a") == 2);
    CHECK(earlier.posted("evt-b") == 0);
    CHECK(earlier.size() == 1);

    earlier.note("post.0.n.evt-b");
    earlier.note("post.3.n.evt-c");  // a third event: the oldest noted is let go
    CHECK(earlier.posted("evt-a") == 0);
    CHECK(earlier.posted("evt-b") == 1);
    CHECK(earlier.posted("evt-c") == 4);

    earlier.forget("evt-c");  // its message is complete
    CHECK(earlier.posted("evt-c") == 0);
}

TEST_CASE("commands: ids are 32 lower-case hex digits whose first 12 differ draw to draw") {
    std::uint64_t state = 0;
    Commands commands("router", [&] { return ++state; });
    std::set<std::string> nonces;
    for (int i = 0; i < 300; ++i) {
        const std::string id = commands.new_id();
        CAPTURE(id);
        REQUIRE(id.size() == 32);
        CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
        nonces.insert(id.substr(0, 12));
    }
    CHECK(nonces.size() == 300);  // a post id keeps only these (post_id)

    const Envelope made = commands.make(event_type::list_team_members, "team", ListTeamMembers{});
    CHECK(made.type == event_type::list_team_members);
    CHECK(made.source == "router");
    CHECK(made.key == "team");
    CHECK(made.id.size() == 32);
    CHECK(made.time.empty());  // stamped when published
}
