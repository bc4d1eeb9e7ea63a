#pragma once
// The sandbox as the tests see it: simulated phones that text and call the company, and agents
// who read, write, whisper and rename in Webex rooms. Also the fault knobs and the stats.
// Every call REQUIREs the answer the sandbox documents, so a broken knob fails loudly.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sb::testing {

using nlohmann::json;

class SandboxClient {
  public:
    explicit SandboxClient(int port) : port_(port) {}

    // ---- Phones (/sandbox/tropo) -----------------------------------------------------------
    void text(const std::string& number, const std::string& text) const;
    // Like text(); returns the id of the session the carrier will post to the gateway.
    std::string text_session(const std::string& number, const std::string& text) const;
    // How the gateway answered each recent session, by id.
    struct SessionOutcome {
        int status = 0;            // 0: no answer
        bool maybe_taken = false;  // no answer, but the gateway may have acted on it
    };
    std::map<std::string, SessionOutcome> tropo_session_outcomes() const;
    void call(const std::string& number) const;
    json phone(const std::string& number) const;  // {number, inbox, sent, calls}
    std::vector<std::string> inbox(const std::string& number) const;  // texts, oldest first
    void tropo_faults(const json& knob) const;
    void clear_tropo_faults() const;
    json tropo_stats() const;

    // ---- Agents (/sandbox/spark) -----------------------------------------------------------
    std::vector<json> rooms() const;  // oldest first
    std::vector<json> rooms_titled(const std::string& title) const;
    // The one room titled `title`; REQUIREs exactly one.
    std::string room_id(const std::string& title) const;
    void create_rooms(const std::vector<std::string>& titles) const;
    std::vector<json> history(const std::string& room_id) const;  // oldest first
    // Messages the bridge (customer-proxy account) posted in the room, as plain text.
    std::vector<std::string> bridge_posts(const std::string& room_id) const;
    std::string post(const std::string& room_id, const std::string& as, const json& body) const;
    void rename(const std::string& room_id, const std::string& title) const;
    void spark_faults(const json& knob) const;
    void clear_spark_faults() const;
    json spark_stats() const;

  private:
    int port_;
};

// A bridge post as a person reads it: the sandbox's text with markdown's backslash escapes
// removed ("jane\@example\.com" -> "jane@example.com").
std::string unescape(const std::string& markdown_text);

// A field of a JSON object, or the default when it is missing or of another type.
std::string text_of(const json& object, const std::string& name);
bool flag_of(const json& object, const std::string& name);
long long number_of(const json& object, const std::string& name);

// How many of `texts` contain `needle`.
int count_containing(const std::vector<std::string>& texts, const std::string& needle);

// "+12085550150" -> "%2B12085550150", for paths.
std::string path_number(const std::string& e164);

}  // namespace sb::testing
