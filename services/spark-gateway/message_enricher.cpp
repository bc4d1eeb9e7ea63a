#include "message_enricher.h"

#include <algorithm>
#include <cctype>

#include "switchboard/text.h"
#include "webex_call.h"

namespace sb::spark_gateway {
namespace {

Enriched outcome_of(const Answer& answer, const std::string& what) {
    Enriched result;
    result.reason = what + ": " +
                    (answer.error.empty() ? "HTTP " + std::to_string(answer.status) : answer.error);
    if (answer.cancelled)
        result.kind = Enriched::Kind::abandoned;
    else if (answer.transient())
        result.kind = Enriched::Kind::retry;
    else
        result.kind = Enriched::Kind::dropped;  // 404: deleted, or not ours to read
    return result;
}

// Email addresses compare without regard to case (Webex may echo them as typed).
bool same_email(const std::string& a, const std::string& b) {
    return !a.empty() && iequals(a, b);
}

}  // namespace

std::optional<bool> posted_by_bridge(const WebhookNotice& notice,
                                     const std::optional<Identity>& self,
                                     const std::string& proxy_email) {
    if (same_email(notice.person_email, proxy_email)) return true;
    if (!self) return std::nullopt;
    return notice.person_id == self->id || same_email(notice.person_email, self->email);
}

MessageEnricher::MessageEnricher(ApiClient& api, WebexCache& cache, std::string proxy_email)
    : api_(api), cache_(cache), proxy_email_(std::move(proxy_email)) {}

Enriched MessageEnricher::enrich(const WebhookNotice& notice) {
    const auto self = cache_.identity();
    if (!self) return Enriched{Enriched::Kind::retry, {}, "identity not known yet"};
    const bool from_bridge = posted_by_bridge(notice, self, proxy_email_).value_or(false);

    const Answer fetched = webex_get(api_, "/messages/" + percent_encode(notice.message_id));
    if (!fetched.ok() || !fetched.body.is_object()) return outcome_of(fetched, "get message");
    const nlohmann::json& message = fetched.body;
    std::string room_id = text_field(message, "roomId");
    if (room_id.empty()) room_id = notice.room_id;
    std::string person_id = text_field(message, "personId");
    if (person_id.empty()) person_id = notice.person_id;

    const auto now = SteadyClock::now();
    // The team is what makes a room a customer room (DESIGN §2.12): it comes with the title.
    std::optional<RoomFacts> room = cache_.room(room_id, now);
    if (!room) {
        const Answer fetched_room = webex_get(api_, "/rooms/" + percent_encode(room_id));
        if (!fetched_room.ok() || !fetched_room.body.is_object()) {
            return outcome_of(fetched_room, "get room");
        }
        room = RoomFacts{text_field(fetched_room.body, "title"),
                         text_field(fetched_room.body, "teamId")};
        cache_.set_room(room_id, *room, now);
    }

    std::string author_name;
    if (const auto known = cache_.person(person_id, now)) {
        author_name = known->display_name;
    } else if (!person_id.empty()) {
        const Answer person = webex_get(api_, "/people/" + percent_encode(person_id));
        if (person.cancelled) return outcome_of(person, "get person");
        // A name is nice to have: a person we may not read still has a message to deliver.
        if (person.ok() && person.body.is_object()) {
            PersonInfo info{first_email(person.body), text_field(person.body, "displayName")};
            author_name = info.display_name;
            cache_.set_person(person_id, info, now);
        } else if (person.transient()) {
            return outcome_of(person, "get person");
        }
    }
    Enriched result;
    result.kind = Enriched::Kind::ready;
    result.message = agent_message_from(message, *room, author_name, from_bridge);
    if (result.message.room_type.empty()) result.message.room_type = notice.room_type;
    if (result.message.created.empty()) result.message.created = notice.created;
    return result;
}

}  // namespace sb::spark_gateway
