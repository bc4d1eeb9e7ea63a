#pragma once
// Who the bridge (the customer-proxy account) is: its email from SPARK_CUSTOMER_PROXY_EMAIL and
// whatever its own posts reveal. Its posts are echoes, and its room or team membership never
// passes for an agent's.
#include <set>
#include <string>

#include "switchboard/text.h"

namespace sb::router {

class BridgeIdentities {
  public:
    explicit BridgeIdentities(const std::string& proxy_email) { learn(proxy_email, {}); }

    void learn(const std::string& email, const std::string& person_id) {
        if (!email.empty()) identities_.insert(to_lower(email));
        if (!person_id.empty()) identities_.insert(person_id);
    }
    bool is(const std::string& email, const std::string& person_id) const {
        return (!email.empty() && identities_.count(to_lower(email)) > 0) ||
               (!person_id.empty() && identities_.count(person_id) > 0);
    }

  private:
    std::set<std::string> identities_;  // emails lower-cased, person ids as given
};

}  // namespace sb::router
