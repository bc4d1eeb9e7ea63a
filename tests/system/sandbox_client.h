#pragma once
// The sandbox as the tests see it: simulated phones that text and call the company, and agents
// who read, write, whisper and rename in Webex rooms. Also the fault knobs and the stats.
// Every call REQUIREs the answer the sandbox documents, so a broken knob fails loudly. The
// phones are the carrier's the stack deploys (/sandbox/twilio/… or /sandbox/tropo/…): a test
// written against these helpers runs with either carrier.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "carrier.h"

namespace sb::testing {

using nlohmann::json;

class SandboxClient {
  public:
    SandboxClient(int port, Carrier carrier) : port_(port), carrier_(carrier) {}

    Carrier carrier() const { return carrier_; }

    // ---- Phones (/sandbox/<carrier>) -------------------------------------------------------
    void text(const std::string& number, const std::string& text) const;
    // Like text(); returns the id of the session the carrier will post to the gateway (Tropo).
    std::string text_session(const std::string& number, const std::string& text) const;
    // How the gateway answered each recent session, by id (Tropo).
    struct SessionOutcome {
        int status = 0;            // 0: no answer
        bool maybe_taken = false;  // no answer, but the gateway may have acted on it
    };
    std::map<std::string, SessionOutcome> tropo_session_outcomes() const;
    void call(const std::string& number) const;
    // The phone calls and the contact center takes the forwarded call as `answer` says:
    // completed, no-answer, busy or failed (either carrier's sandbox).
    void call(const std::string& number, const std::string& answer) const;
    json phone(const std::string& number) const;  // {number, inbox, sent, calls}
    std::vector<std::string> inbox(const std::string& number) const;  // texts, oldest first

    // ---- The carrier's knobs, whichever it is ----------------------------------------------
    // The next `count` sends fail with a server error (Tropo 503, Twilio 500): retried.
    void carrier_server_errors(int count) const;
    // How many sends the carrier has failed on purpose so far.
    long long carrier_faults_served() const;
    // The carrier refuses every SMS to `number` until carrier_accepts(number): Tropo refuses
    // the session (the room notes "not sent"), Twilio's customer has replied STOP (21610: the
    // room notes "opted out"). Returns the words of the room's note.
    std::string carrier_refuses(const std::string& number) const;
    void carrier_accepts(const std::string& number) const;
    // SMS the carrier has delivered to phones.
    long long sms_delivered() const;

    // ---- Tropo's own knobs (/sandbox/tropo) ------------------------------------------------
    void tropo_faults(const json& knob) const;
    void clear_tropo_faults() const;
    json tropo_stats() const;
    // ---- Twilio's own knobs (/sandbox/twilio) ----------------------------------------------
    void twilio_faults(const json& knob) const;  // {"mode": "429"|"500"|"outage", "count": N}
    void clear_twilio_faults() const;
    json twilio_stats() const;

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
    std::string phones_path() const;  // /sandbox/<carrier>/phones/

    int port_;
    Carrier carrier_;
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
