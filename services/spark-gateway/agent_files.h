#pragma once
// An agent's files on their way to the customer: each Webex content URL of the message is
// fetched with the proxy's token, stored in the FileStore and named in the AgentMessage by its
// public link; a file that cannot be passed on gets a plain-language refusal instead, which the
// router notes in the message's thread. The decisions are pure (next_fetch_step); AgentFiles is
// the I/O around them.
#include <httplib.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "file_store.h"
#include "switchboard/events.h"
#include "switchboard/metrics.h"

namespace sb::spark_gateway {

struct FileLimits {
    size_t max_bytes = 5'000'000;  // FILE_MAX_BYTES
    // How long a file may stay "being scanned" (423) or Webex stay busy before it is given up
    // on: the message's SMS waits that long, and its room's later messages with it.
    std::chrono::seconds max_wait{120};
};

// One GET of a content URL, as it came back.
struct FetchAnswer {
    int status = 0;            // 0: no HTTP answer
    std::string error;         // why not, when status is 0
    std::string retry_after;   // the header, as sent
    bool too_large = false;    // Content-Length or the bytes read passed the cap: not read on
    std::string content_type;  // headers of a 200
    std::string content_disposition;
    std::string bytes;
};

// What to do after an answer: keep the file, wait and ask again, or give it up with a reason
// for the agent.
struct FetchStep {
    enum class Kind { keep, wait, refuse };
    Kind kind = Kind::refuse;
    std::chrono::seconds wait{0};
    std::string reason;  // refuse: completes "<the file> was not sent to the customer: …"
};

// `waited`: the time already spent waiting on this file; `attempt`: 1 for the first answer.
// 423 (Webex is scanning it) and 429 wait Retry-After (1-30 s; 5 s when missing or
// unreadable); 5xx and no answer back off 1, 2, 4… s (at most 15); both only while `waited` +
// the wait stays within max_wait. 410 (malware) and 428 (cannot be scanned) are refused, as is
// anything over max_bytes and any other status.
FetchStep next_fetch_step(const FetchAnswer& answer, std::chrono::seconds waited, int attempt,
                          const FileLimits& limits);

// The file's name from Content-Disposition (`filename*=UTF-8''…` preferred, then `filename=`,
// quoted or not), else the URL's last path segment, else "file".
std::string file_name_from(std::string_view content_disposition, std::string_view url);

// "5 MB", "1.5 MB", "800 kB": sizes as agents read them.
std::string shown_size(size_t bytes);

// Which messages' files become public links at all: a customer room's (the agents' team's,
// not a direct room), not the bridge's own, not a whisper (a message that mentions anyone never
// goes to the customer, so no public copy of an internal file is made).
bool files_for_customer(const AgentMessage& message, const std::string& team_id);

class AgentFiles {
  public:
    using Pause = std::function<bool(std::chrono::milliseconds)>;  // false: stopping

    AgentFiles(const std::string& api_url, std::string token, std::string public_files_base,
               FileStore& store, FileLimits limits, Metrics& metrics);

    // Fills message.attachments and message.file_refusals from message.files. False when it
    // was interrupted by shutdown (the message stays pending and is done again after a restart).
    bool attach(AgentMessage& message, const Pause& pause);

    // Ends a download in flight at once (shutdown).
    void cancel();

  private:
    FetchAnswer download(const std::string& url);
    void sweep_now_and_then();

    std::string origin_;  // files are fetched from the API's own origin only: the token stays
    std::string token_;
    std::string public_files_base_;  // PUBLIC_BASE_URL + /api/files/
    FileStore& store_;
    FileLimits limits_;
    Metrics& metrics_;
    std::mutex mutex_;
    std::set<httplib::Client*> in_flight_;
    bool cancelled_ = false;
    SteadyClock::time_point next_sweep_{};
};

// GET /api/files/<token>: the file with its own type and name, 404 unknown, 410 expired.
void serve_file(const FileStore& store, const std::string& token, httplib::Response& response);

}  // namespace sb::spark_gateway
