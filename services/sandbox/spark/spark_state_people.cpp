// Webex REST rules for people: /people/me, /people/{id}, /people?email=|id=|displayName=.
#include "spark_state.h"

namespace sb::sandbox::spark {

Reply SparkState::people_me(const std::string& caller) const {
    std::lock_guard lock(mutex_);
    const Person* me = find_person(caller);
    if (!me) return fail(404, "The requested resource could not be found.");
    return ok(person_json(*me, true));
}

Reply SparkState::get_person(const std::string&, const std::string& id) const {
    std::lock_guard lock(mutex_);
    const Person* person = find_person(id);
    if (!person || person->id != id) return fail(404, "Person not found.");
    return ok(person_json(*person, true));
}

Reply SparkState::list_people(const std::string&, const Query& query) const {
    std::lock_guard lock(mutex_);
    const std::string email = query_value(query, "email");
    const std::string id = query_value(query, "id");
    if (email.empty() && id.empty() && query_value(query, "displayName").empty()) {
        return fail(400, "Email, displayName, or id list should be specified.");
    }
    json items = json::array();
    for (const Person& person : people_) {
        if (!email.empty() && person.email != email) continue;
        if (!id.empty() && person.id != id) continue;
        if (!query_value(query, "displayName").empty() &&
            person.display_name.rfind(query_value(query, "displayName"), 0) != 0) {
            continue;
        }
        items.push_back(person_json(person, true));
    }
    return ok({{"items", items}, {"notFoundIds", nullptr}});
}

}  // namespace sb::sandbox::spark
