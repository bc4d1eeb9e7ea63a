// Agents' files for customers, without sockets: the store (unguessable tokens, expiry, names
// escaped in Content-Disposition) and the decisions after each GET of a Webex content URL
// (423 waits Retry-After within a bound, 410/428 and the size cap are refused).
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "agent_files.h"
#include "file_store.h"

using namespace sb;
using namespace sb::spark_gateway;
using namespace std::chrono_literals;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("sb-files-" + std::to_string(::getpid()) + "-" +
                std::to_string(WallClock::now().time_since_epoch().count()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

const WallClock::time_point kNoon = WallClock::time_point(std::chrono::seconds(1'800'000'000));

FetchAnswer answered(int status, std::string retry_after = {}) {
    FetchAnswer answer;
    answer.status = status;
    answer.retry_after = std::move(retry_after);
    return answer;
}

}  // namespace

TEST_CASE("file store: tokens are 256 random bits, and nothing else is looked up") {
    TempDir dir;
    FileStore store(dir.path, 3600s);
    std::set<std::string> tokens;
    for (int i = 0; i < 50; ++i) {
        const std::string token = store.put("x", "text/plain", "a.txt", kNoon);
        CHECK(is_file_token(token));
        CHECK(token.size() == 64);
        tokens.insert(token);
    }
    CHECK(tokens.size() == 50);  // never the same twice
    const std::string token = *tokens.begin();
    CHECK(store.get(token, kNoon).status == 200);
    // A path, another token's neighbour, upper case, a prefix: 404, no file system access.
    for (const std::string& bad :
         {std::string("../") + token.substr(3), token.substr(0, 63), token + "0",
          std::string(64, 'A'), std::string("..%2f..%2fetc%2fpasswd"), std::string()}) {
        CAPTURE(bad);
        CHECK_FALSE(is_file_token(bad));
        CHECK(store.get(bad, kNoon).status == 404);
    }
    CHECK(store.get(std::string(64, '0'), kNoon).status == 404);  // well-formed, unknown
}

TEST_CASE("file store: the file comes back whole with its type and name until it expires") {
    TempDir dir;
    FileStore store(dir.path, 7200s);
    const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0", 10) + std::string(3000, 'q');
    const std::string token = store.put(png, "image/png", "map \"v2\".png", kNoon);
    const FileLookup found = store.get(token, kNoon + 7199s);
    REQUIRE(found.status == 200);
    REQUIRE(found.file);
    CHECK(found.file->bytes == png);
    CHECK(found.file->content_type == "image/png");
    CHECK(found.file->name == "map \"v2\".png");
    CHECK(store.get(token, kNoon + 7200s).status == 410);  // expired: gone, not served
    CHECK(store.sweep(kNoon + 7199s) == 0);
    CHECK(store.sweep(kNoon + 7200s) == 1);
    CHECK(store.get(token, kNoon + 7200s).status == 404);  // swept: nothing left on disk
    CHECK(std::filesystem::is_empty(dir.path));
}

TEST_CASE("file store: Content-Disposition carries the name escaped, never a path") {
    struct Row {
        const char* name;
        const char* type;
        const char* header;
    };
    const Row rows[] = {
        {"map.png", "image/png", "inline; filename=\"map.png\"; filename*=UTF-8''map.png"},
        {"terms and conditions.pdf", "application/pdf",
         "attachment; filename=\"terms and conditions.pdf\"; "
         "filename*=UTF-8''terms%20and%20conditions.pdf"},
        {"say \"hi\" 100%.txt", "text/plain",
         "attachment; filename=\"say _hi_ 100_.txt\"; "
         "filename*=UTF-8''say%20%22hi%22%20100%25.txt"},
        {"../../etc/passwd", "text/plain",
         "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"},
        {"C:\\Users\\ana\\plan.gif", "image/gif",
         "inline; filename=\"plan.gif\"; filename*=UTF-8''plan.gif"},
        {"a\r\nSet-Cookie: x=1", "text/plain",
         "attachment; filename=\"a__Set-Cookie: x=1\"; "
         "filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1"},
        {"€ rates.csv", "text/csv",
         "attachment; filename=\"___ rates.csv\"; filename*=UTF-8''%E2%82%AC%20rates.csv"},
        {"page.html", "text/html",
         "attachment; filename=\"page.html\"; filename*=UTF-8''page.html"},
        {"", "image/jpeg", "inline; filename=\"file\"; filename*=UTF-8''file"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        CHECK(content_disposition(row.name, row.type) == row.header);
    }
    CHECK(served_content_type("image/png") == "image/png");
    CHECK(served_content_type("text/plain; charset=utf-8") == "text/plain; charset=utf-8");
    CHECK(served_content_type("") == "application/octet-stream");
    CHECK(served_content_type("nonsense") == "application/octet-stream");
    CHECK(served_content_type("text/html\r\nX-Evil: 1") == "application/octet-stream");
    CHECK(served_content_type("text/plain; x=\"a\r\nX-Evil: 1\"") == "text/plain");
}

TEST_CASE("file fetch: what each answer of GET /contents/{id} leads to") {
    const FileLimits limits{5'000'000, 120s};
    using Kind = FetchStep::Kind;
    struct Row {
        const char* name;
        FetchAnswer answer;
        std::chrono::seconds waited;
        int attempt;
        Kind kind;
        std::chrono::seconds wait;
        const char* reason_has;
    };
    FetchAnswer too_large = answered(200);
    too_large.too_large = true;
    const Row rows[] = {
        {"the bytes", answered(200), 0s, 1, Kind::keep, 0s, ""},
        {"scanning: wait Retry-After", answered(423, "7"), 0s, 1, Kind::wait, 7s, ""},
        {"scanning, no Retry-After: 5 s", answered(423), 0s, 1, Kind::wait, 5s, ""},
        {"scanning, a date for Retry-After: 5 s", answered(423, "Wed, 21 Oct 2026 07:28:00 GMT"),
         0s, 1, Kind::wait, 5s, ""},
        {"scanning, Retry-After 0: at least 1 s", answered(423, "0"), 0s, 1, Kind::wait, 1s, ""},
        {"scanning, Retry-After 3600: at most 30 s", answered(423, "3600"), 0s, 1, Kind::wait, 30s,
         ""},
        {"scanning past the bound: given up", answered(423, "10"), 115s, 9, Kind::refuse, 0s,
         "still scanning"},
        {"throttled: wait", answered(429, "2"), 0s, 1, Kind::wait, 2s, ""},
        {"infected", answered(410), 0s, 1, Kind::refuse, 0s, "malware"},
        {"unscannable", answered(428), 0s, 1, Kind::refuse, 0s, "could not scan"},
        {"over the cap", too_large, 0s, 1, Kind::refuse, 0s, "larger than 5 MB"},
        {"not ours to read", answered(404), 0s, 1, Kind::refuse, 0s, "HTTP 404"},
        {"Webex failing: back off", answered(503), 0s, 3, Kind::wait, 4s, ""},
        {"no answer: back off", answered(0), 0s, 1, Kind::wait, 1s, ""},
        {"no answer for too long", answered(0), 120s, 8, Kind::refuse, 0s, "could not be reached"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        const FetchStep step = next_fetch_step(row.answer, row.waited, row.attempt, limits);
        CHECK(step.kind == row.kind);
        CHECK(step.wait == row.wait);
        CHECK(step.reason.find(row.reason_has) != std::string::npos);
    }
}

TEST_CASE("file fetch: names, sizes, and which messages' files are fetched at all") {
    CHECK(file_name_from("attachment; filename=\"cat.png\"", "https://x/v1/contents/1") ==
          "cat.png");
    CHECK(file_name_from("attachment; filename=\"a \\\"b\\\".png\"", "") == "a \"b\".png");
    CHECK(file_name_from("attachment; filename=plain.txt; size=3", "") == "plain.txt");
    CHECK(file_name_from(
              "attachment; filename=\"rates.csv\"; filename*=UTF-8''%E2%82%AC%20rates.csv", "") ==
          "€ rates.csv");
    CHECK(file_name_from("", "https://webexapis.com/v1/contents/Y2lz?x=1") == "Y2lz");
    CHECK(file_name_from("", "") == "file");
    CHECK(shown_size(5'000'000) == "5 MB");
    CHECK(shown_size(1'500'000) == "1.5 MB");
    CHECK(shown_size(800'000) == "800 kB");

    AgentMessage message;
    message.files = {"https://webexapis.com/v1/contents/Y2lz"};
    message.room_team_id = "team";
    CHECK(files_for_customer(message, "team"));
    AgentMessage other = message;
    other.room_team_id = "another";
    CHECK_FALSE(files_for_customer(other, "team"));
    AgentMessage whisper = message;
    whisper.mentioned_people = {"p2"};
    CHECK_FALSE(files_for_customer(whisper, "team"));
    AgentMessage echo = message;
    echo.from_bridge = true;
    CHECK_FALSE(files_for_customer(echo, "team"));
    AgentMessage direct = message;
    direct.room_type = "direct";
    CHECK_FALSE(files_for_customer(direct, "team"));
    AgentMessage none = message;
    none.files.clear();
    CHECK_FALSE(files_for_customer(none, "team"));
}
