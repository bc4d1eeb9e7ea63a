// Partitions (README, "Partitions and replicas"): the key hash, the wire names, the fair-share
// decisions as tables, and the locks, slots and runner with real files (no processes).
#include "switchboard/partitions.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "process.h"
#include "switchboard/file_lock.h"
#include "switchboard/membership.h"
#include "switchboard/partition_ownership.h"
#include "switchboard/partitioned_runner.h"

namespace {

using namespace sb;
using Set = std::set<std::uint32_t>;
using List = std::vector<std::uint32_t>;

std::filesystem::path fresh_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("sb-partitions-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("partitions: FNV-1a 32 matches the published vectors, so every process agrees") {
    CHECK(partitions::fnv1a("") == 0x811c9dc5u);
    CHECK(partitions::fnv1a("a") == 0xe40c292cu);
    CHECK(partitions::fnv1a("foobar") == 0xbf9cf968u);
}

TEST_CASE("partitions: a customer's number names one partition, the same every time") {
    struct Row {
        const char* key;
        std::uint32_t count;
        std::uint32_t partition;
    };
    for (const Row& row : {Row{"+15551230001", 8, 1}, Row{"+15551230002", 8, 0},
                           Row{"+447700900123", 8, 5}, Row{"+15551230001", 2, 1},
                           Row{"+15551230002", 2, 0}, Row{"+447700900123", 1, 0}, Row{"", 1, 0}}) {
        CAPTURE(row.key);
        CAPTURE(row.count);
        CHECK(partitions::partition_of(row.key, row.count) == row.partition);
    }
}

TEST_CASE("partitions: topics split per partition only when there is more than one") {
    CHECK(partitions::topic_for("sms.send", 0, 1) == "sms.send");
    CHECK(partitions::topic_for("sms.send", 3, 8) == "sms.send.p3");
    CHECK(partitions::same_partition("spark.result", "spark.command.p3") == "spark.result.p3");
    CHECK(partitions::same_partition("spark.result", "spark.command") == "spark.result");
    // Only a partitioned topic's suffix counts.
    CHECK(partitions::same_partition("spark.result", "spark.webhook.x.p3") == "spark.result");
    CHECK(partitions::same_partition("spark.result", "spark.command.px") == "spark.result");
    CHECK(partitions::is_partitioned("customer.message"));
    CHECK_FALSE(partitions::is_partitioned("reply.router"));
    CHECK_FALSE(partitions::is_partitioned("spark.webhook.spark-gateway.s0"));
}

TEST_CASE("partitions: routes name the wire topic, replies and private topics pass through") {
    Envelope event;
    event.key = "+15551230001";  // partition 1 of 8
    const partitions::Route by_key = partitions::route_by_key(8);
    CHECK(by_key("customer.message", event) == "customer.message.p1");
    CHECK(by_key("reply.router", event) == "reply.router");
    const partitions::Route own = partitions::route_to(6, 8);
    CHECK(own("sms.send", event) == "sms.send.p6");  // the producer's partition, not the key's
    CHECK(own("spark.webhook.x", event) == "spark.webhook.x");
}

TEST_CASE("partitions: one partition keeps today's name and folder, more get their own") {
    const partitions::Place only = partitions::place_for("router", "router-a", "/d", 0, 1);
    CHECK(only.instance == "router-a");
    CHECK(only.data_dir == "/d");
    CHECK(only.only());
    const partitions::Place third = partitions::place_for("router", "router-a", "/d", 3, 8);
    CHECK(third.instance == "router.p3");
    CHECK(third.data_dir == "/d/partitions/router.p3");
    CHECK(partitions::slot_instance("twilio-gateway", 2) == "twilio-gateway.s2");
}

TEST_CASE("ownership: the fair share is ceil(partitions / live members)") {
    struct Row {
        std::uint32_t partitions, live, share;
    };
    for (const Row& row : {Row{1, 1, 1}, Row{1, 2, 1}, Row{8, 1, 8}, Row{8, 2, 4}, Row{8, 3, 3},
                           Row{8, 8, 1}, Row{8, 9, 1}, Row{8, 0, 8}}) {
        CAPTURE(row.partitions);
        CAPTURE(row.live);
        CHECK(ownership::fair_share(row.partitions, row.live) == row.share);
    }
}

TEST_CASE("ownership: what a replica takes and lets go") {
    struct Row {
        const char* what;
        std::uint32_t partitions, live;
        Set owned;
        std::uint32_t slot;
        List release;
        std::uint32_t want;
        List candidates;
    };
    const std::vector<Row> rows = {
        {"alone: everything", 4, 1, {}, 0, {}, 4, {0, 1, 2, 3}},
        {"alone, owning some: the rest", 4, 1, {1, 3}, 0, {}, 2, {0, 2}},
        {"a second joined: the owner lets go of the highest", 4, 2, {0, 1, 2, 3}, 0, {3, 2}, 0, {}},
        {"the newcomer wants its share, from its own offset", 4, 2, {}, 1, {}, 2, {2, 3, 0, 1}},
        {"at its share: nothing to do", 4, 2, {0, 1}, 0, {}, 0, {}},
        {"a member died: take the free ones", 4, 1, {0, 1}, 0, {}, 2, {2, 3}},
        {"odd counts: ceil, so every partition has room", 5, 2, {0, 1, 2}, 0, {}, 0, {}},
        {"odd counts, one short", 5, 2, {3, 4}, 1, {}, 1, {0, 1, 2}},
        {"one partition, a standby: it wants it (only the lock lets it in)",
         1,
         2,
         {},
         1,
         {},
         1,
         {0}},
        {"PARTITIONS lowered: a partition beyond it goes", 2, 1, {0, 5}, 0, {5}, 1, {1}},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        const ownership::Plan plan = ownership::plan(row.partitions, row.live, row.owned, row.slot);
        CHECK(plan.release == row.release);
        CHECK(plan.want == row.want);
        CHECK(plan.candidates == row.candidates);
    }
}

TEST_CASE("file lock: one holder at a time, even in one process, closing lets it go") {
    const auto dir = fresh_dir("lock");
    const auto path = dir / "sub" / "0.lock";
    CHECK_FALSE(FileLock::is_held(path));
    std::optional<FileLock> first = FileLock::try_take(path);
    REQUIRE(first);
    CHECK(FileLock::is_held(path));
    CHECK_FALSE(FileLock::try_take(path));  // another open file description: refused
    first.reset();
    CHECK_FALSE(FileLock::is_held(path));
    CHECK(FileLock::try_take(path));
    std::filesystem::remove_all(dir);
}

TEST_CASE("membership: each replica leases the lowest free slot, live members are held slots") {
    const auto dir = fresh_dir("slots");
    auto a = std::make_unique<Membership>(dir, "svc");
    auto b = std::make_unique<Membership>(dir, "svc");
    CHECK(a->slot() == 0);
    CHECK(b->slot() == 1);
    CHECK(a->live_members() == 2);
    a.reset();  // as if it died: its slot file stays, unlocked
    CHECK(b->live_members() == 1);
    Membership c(dir, "svc");
    CHECK(c.slot() == 0);  // a recreated replica takes the dead one's slot (and its journal)
    CHECK(b->live_members() == 2);
    // Another service in the same DATA_DIR has slots of its own and counts only its own.
    Membership other(dir, "svc-x");
    CHECK(other.slot() == 0);
    CHECK(other.live_members() == 1);
    CHECK(b->live_members() == 2);
    std::filesystem::remove_all(dir);
}

namespace {

// Which partitions are running, across every runner in the test: a partition must never run
// twice at once.
struct Ledger {
    std::mutex mutex;
    std::multiset<std::uint32_t> running;
    std::atomic<int> doubled{0};
};

class FakeWorker : public PartitionWorker {
  public:
    FakeWorker(Ledger& ledger, std::uint32_t partition) : ledger_(ledger), partition_(partition) {}
    void start() override {
        std::lock_guard lock(ledger_.mutex);
        if (ledger_.running.count(partition_) > 0) ++ledger_.doubled;
        ledger_.running.insert(partition_);
    }
    void stop() override {
        std::lock_guard lock(ledger_.mutex);
        ledger_.running.erase(ledger_.running.find(partition_));
    }

  private:
    Ledger& ledger_;
    std::uint32_t partition_;
};

}  // namespace

TEST_CASE(
    "runner: a lone replica owns all, a second takes its share, the first's leave frees all") {
    const auto dir = fresh_dir("runner");
    Ledger ledger;
    const auto factory = [&](const partitions::Place& place) {
        return std::make_unique<FakeWorker>(ledger, place.index);
    };
    RunnerOptions options{"router", "router", dir, 8, std::chrono::milliseconds(20)};
    auto first_member = std::make_unique<Membership>(dir, "router");
    auto first = std::make_unique<PartitionedRunner>(options, *first_member, factory);
    first->start();
    CHECK(first->owned().size() == 8);  // whole as soon as start returns

    Membership second_member(dir, "router");
    PartitionedRunner second(options, second_member, factory);
    second.start();
    CHECK(testing::wait_until(
        [&] { return first->owned().size() == 4 && second.owned().size() == 4; },
        std::chrono::seconds(5)));

    first.reset();  // stops its workers, then unlocks
    first_member.reset();
    CHECK(testing::wait_until([&] { return second.owned().size() == 8; }, std::chrono::seconds(5)));
    second.stop();
    CHECK(ledger.doubled == 0);
    CHECK(ledger.running.empty());
    std::filesystem::remove_all(dir);
}
