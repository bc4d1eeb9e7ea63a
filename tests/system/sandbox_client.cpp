#include "sandbox_client.h"

#include <doctest/doctest.h>
#include <httplib.h>

namespace sb::testing {
namespace {

struct Answer {
    int status = 0;
    json body;
};

Answer call_sandbox(int port, const std::string& method, const std::string& path,
                    const json& body = nullptr) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(15, 0);
    const std::string payload = body.is_null() ? std::string() : body.dump();
    const auto send = [&] {
        if (method == "POST") return client.Post(path.c_str(), payload, "application/json");
        if (method == "PUT") return client.Put(path.c_str(), payload, "application/json");
        if (method == "DELETE") return client.Delete(path.c_str());
        return client.Get(path.c_str());
    };
    const httplib::Result result = send();
    Answer answer;
    if (!result) return answer;
    answer.status = result->status;
    answer.body = json::parse(result->body, nullptr, false);
    return answer;
}

}  // namespace

std::string path_number(const std::string& e164) {
    return e164.rfind('+', 0) == 0 ? "%2B" + e164.substr(1) : e164;
}

std::string unescape(const std::string& markdown_text) {
    std::string out;
    for (size_t i = 0; i < markdown_text.size(); ++i) {
        if (markdown_text[i] == '\\' && i + 1 < markdown_text.size()) ++i;
        out += markdown_text[i];
    }
    return out;
}

std::string text_of(const json& object, const std::string& name) {
    if (!object.is_object()) return {};
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool flag_of(const json& object, const std::string& name) {
    if (!object.is_object()) return false;
    const auto found = object.find(name);
    return found != object.end() && found->is_boolean() && found->get<bool>();
}

long long number_of(const json& object, const std::string& name) {
    if (!object.is_object()) return 0;
    const auto found = object.find(name);
    return found != object.end() && found->is_number() ? found->get<long long>() : 0;
}

int count_containing(const std::vector<std::string>& texts, const std::string& needle) {
    int count = 0;
    for (const std::string& text : texts) count += text.find(needle) != std::string::npos;
    return count;
}

// ---- Phones ----------------------------------------------------------------------------------

std::string SandboxClient::phones_path() const {
    return "/sandbox/" + carrier_name(carrier_) + "/phones/";
}

void SandboxClient::text(const std::string& number, const std::string& text) const {
    text_session(number, text);
}

std::string SandboxClient::text_session(const std::string& number, const std::string& text) const {
    const Answer answer =
        call_sandbox(port_, "POST", phones_path() + path_number(number) + "/sms", {{"text", text}});
    REQUIRE_MESSAGE(answer.status == 202, "phone " << number << " could not text: " << answer.status
                                                   << " " << answer.body);
    return text_of(answer.body, "session_id");
}

std::map<std::string, SandboxClient::SessionOutcome> SandboxClient::tropo_session_outcomes() const {
    const Answer answer = call_sandbox(port_, "GET", "/sandbox/tropo/sessions");
    REQUIRE(answer.status == 200);
    std::map<std::string, SessionOutcome> outcomes;
    for (const json& session : answer.body["sessions"]) {
        outcomes[text_of(session, "session_id")] = {static_cast<int>(number_of(session, "status")),
                                                    flag_of(session, "maybe_taken")};
    }
    return outcomes;
}

void SandboxClient::call(const std::string& number, const std::string& answer_as) const {
    const Answer answer = call_sandbox(port_, "POST", phones_path() + path_number(number) + "/call",
                                       json{{"answer", answer_as}});
    REQUIRE_MESSAGE(answer.status == 202, "phone " << number << " could not call: " << answer.status
                                                   << " " << answer.body);
}

void SandboxClient::call(const std::string& number) const {
    // Tropo's phone says which network it calls over; Twilio's how the forwarded call ends.
    const json how =
        carrier_ == Carrier::twilio ? json{{"answer", "completed"}} : json{{"network", "PSTN"}};
    const Answer answer =
        call_sandbox(port_, "POST", phones_path() + path_number(number) + "/call", how);
    REQUIRE_MESSAGE(answer.status == 202, "phone " << number << " could not call: " << answer.status
                                                   << " " << answer.body);
}

json SandboxClient::phone(const std::string& number) const {
    const Answer answer = call_sandbox(port_, "GET", phones_path() + path_number(number));
    REQUIRE(answer.status == 200);
    return answer.body;
}

std::vector<std::string> SandboxClient::inbox(const std::string& number) const {
    std::vector<std::string> texts;
    const json current = phone(number);  // kept alive: the loop walks into it
    for (const json& record : current["inbox"]) texts.push_back(text_of(record, "text"));
    return texts;
}

// ---- The carrier's knobs -----------------------------------------------------------------

void SandboxClient::carrier_server_errors(int count) const {
    if (carrier_ == Carrier::twilio) {
        twilio_faults({{"mode", "500"}, {"count", count}});
    } else {
        tropo_faults({{"mode", "error"}, {"status", 503}, {"count", count}});
    }
}

long long SandboxClient::carrier_faults_served() const {
    if (carrier_ == Carrier::twilio) {
        // Twilio's REST answers by status: every 5xx the sandbox gives is a fault it was told to.
        const json stats = twilio_stats();
        const json by_status =
            stats.is_object() && stats["rest"].is_object() ? stats["rest"]["by_status"] : json();
        return number_of(by_status, "500") + number_of(by_status, "503");
    }
    const json stats = tropo_stats();
    return number_of(stats.is_object() ? stats["session_api"] : json(), "faulted");
}

std::string SandboxClient::carrier_refuses(const std::string& number) const {
    if (carrier_ == Carrier::twilio) {
        text(number, "STOP");
        return "opted out";
    }
    tropo_faults({{"mode", "refuse"}, {"count", 1000}});
    return "not sent";
}

void SandboxClient::carrier_accepts(const std::string& number) const {
    if (carrier_ == Carrier::twilio) {
        text(number, "START");
    } else {
        clear_tropo_faults();
    }
}

long long SandboxClient::sms_delivered() const {
    if (carrier_ == Carrier::twilio) {
        const json stats = twilio_stats();
        return number_of(stats.is_object() ? stats["messages"] : json(), "delivered");
    }
    return number_of(tropo_stats(), "sms_delivered");
}

void SandboxClient::tropo_faults(const json& knob) const {
    const Answer answer = call_sandbox(port_, "POST", "/sandbox/tropo/faults", knob);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
}

void SandboxClient::clear_tropo_faults() const {
    REQUIRE(call_sandbox(port_, "DELETE", "/sandbox/tropo/faults").status == 200);
}

json SandboxClient::tropo_stats() const {
    return call_sandbox(port_, "GET", "/sandbox/tropo/stats").body;
}

void SandboxClient::twilio_faults(const json& knob) const {
    const Answer answer = call_sandbox(port_, "POST", "/sandbox/twilio/faults", knob);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
}

void SandboxClient::clear_twilio_faults() const {
    REQUIRE(call_sandbox(port_, "DELETE", "/sandbox/twilio/faults").status == 200);
}

json SandboxClient::twilio_stats() const {
    return call_sandbox(port_, "GET", "/sandbox/twilio/stats").body;
}

// ---- Agents ----------------------------------------------------------------------------------

std::vector<json> SandboxClient::rooms() const {
    const Answer answer = call_sandbox(port_, "GET", "/sandbox/spark/rooms");
    REQUIRE(answer.status == 200);
    return answer.body["items"].get<std::vector<json>>();
}

std::vector<json> SandboxClient::rooms_titled(const std::string& title) const {
    std::vector<json> found;
    for (const json& room : rooms()) {
        if (text_of(room, "title") == title) found.push_back(room);
    }
    return found;
}

std::string SandboxClient::room_id(const std::string& title) const {
    const auto found = rooms_titled(title);
    REQUIRE_MESSAGE(found.size() == 1, found.size() << " rooms titled " << title);
    return found[0]["id"];
}

void SandboxClient::create_rooms(const std::vector<std::string>& titles) const {
    const Answer answer = call_sandbox(port_, "POST", "/sandbox/spark/rooms", {{"titles", titles}});
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
}

std::vector<json> SandboxClient::history(const std::string& room_id) const {
    const Answer answer =
        call_sandbox(port_, "GET", "/sandbox/spark/rooms/" + room_id + "/messages");
    REQUIRE(answer.status == 200);
    return answer.body["items"].get<std::vector<json>>();
}

std::vector<std::string> SandboxClient::bridge_posts(const std::string& room_id) const {
    std::vector<std::string> posts;
    for (const json& message : history(room_id)) {
        if (flag_of(message, "fromProxy")) posts.push_back(unescape(text_of(message, "text")));
    }
    return posts;
}

std::string SandboxClient::post(const std::string& room_id, const std::string& as,
                                const json& body) const {
    json request = body;
    request["as"] = as;
    const Answer answer =
        call_sandbox(port_, "POST", "/sandbox/spark/rooms/" + room_id + "/messages", request);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
    return text_of(answer.body, "id");
}

void SandboxClient::rename(const std::string& room_id, const std::string& title) const {
    const Answer answer =
        call_sandbox(port_, "PUT", "/sandbox/spark/rooms/" + room_id, {{"title", title}});
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
}

void SandboxClient::spark_faults(const json& knob) const {
    const Answer answer = call_sandbox(port_, "POST", "/sandbox/spark/faults", knob);
    REQUIRE_MESSAGE(answer.status == 200, answer.body);
}

void SandboxClient::clear_spark_faults() const {
    const int status = call_sandbox(port_, "DELETE", "/sandbox/spark/faults").status;
    REQUIRE((status == 200 || status == 204));
}

json SandboxClient::spark_stats() const {
    return call_sandbox(port_, "GET", "/sandbox/spark/stats").body;
}

}  // namespace sb::testing
