#include "zap_decision.h"

#include <zmq.h>

#include "switchboard/bus_security.h"

namespace sb::bus {
namespace {

constexpr std::size_t kRequestFrames = 6;  // before the mechanism's credentials
constexpr std::size_t kCurveKeyBytes = 32;

std::string z85_of(const std::string& raw) {
    char text[41] = {};
    if (raw.size() != kCurveKeyBytes ||
        zmq_z85_encode(text, reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()) ==
            nullptr) {
        return {};
    }
    return text;
}

ZapDecision answer(const std::string& request_id, const std::string& status,
                   const std::string& text, const std::string& user_id) {
    ZapDecision decision;
    decision.accepted = status == "200";
    decision.reply = {"1.0", request_id, status, text, user_id, ""};
    if (!decision.accepted) decision.reason = text;
    return decision;
}

}  // namespace

ZapDecision decide_zap(const std::vector<std::string>& request,
                       const std::set<std::string>& accepted_keys) {
    const std::string request_id = request.size() > 1 ? request[1] : "";
    if (request.size() < kRequestFrames || request[0] != "1.0") {
        return answer(request_id, "500", "malformed ZAP request", "");
    }
    const std::string& domain = request[2];
    const std::string& mechanism = request[5];
    ZapDecision decision;
    if (domain != bus_security::kZapDomain) {
        decision = answer(request_id, "400", "unknown ZAP domain", "");
    } else if (mechanism != "CURVE" || request.size() != kRequestFrames + 1 ||
               request[6].size() != kCurveKeyBytes) {
        decision = answer(request_id, "400", "CURVE with a client key required", "");
    } else if (accepted_keys.count(request[6]) == 0) {
        decision = answer(request_id, "400", "client key not accepted", "");
        decision.client_key = z85_of(request[6]);
    } else {
        const std::string key = z85_of(request[6]);
        decision = answer(request_id, "200", "OK", key);  // user id: the client's public key
        decision.client_key = key;
    }
    decision.peer_address = request[3];
    return decision;
}

}  // namespace sb::bus
