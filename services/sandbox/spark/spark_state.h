#pragma once
// The Webex world the sandbox serves: people, one team, rooms, memberships, messages, webhooks.
// Pure state behind one mutex: every REST call is a method taking the caller and the request's
// JSON/query and answering a Reply (status + body + next page), so it is testable without sockets.
// One class, its methods in one file per job: spark_state.cpp (seed, clock, lookups, shared
// adders), spark_state_<people|rooms|memberships|messages|webhooks>.cpp (Webex's REST rules),
// spark_state_admin.cpp (the admin API). What they share lives in small pure files: the records
// (webex_model.h), their JSON (webex_json.h), paging (paging.h), mentions and markdown's text
// (mentions.h, markdown_text.h), and which webhooks a message reaches (webhook_delivery.h).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "body_fields.h"
#include "reply.h"
#include "webex_model.h"
#include "webhook_delivery.h"

namespace sb::sandbox::spark {

inline constexpr size_t kMaxMessageBytes = 7439;  // text and markdown, in UTF-8 bytes

// A file the HTTP layer fetched for a post (content_fetcher.h), to be stored with it.
struct NewFile {
    std::string content_type, filename, bytes;
};

// What GET /v1/contents/{id} answers: the content, or a status and Webex's message.
struct ContentAnswer {
    int status = 200;
    std::string message;
    int retry_after = 0;  // 423: seconds
    Content content;
};

struct Seed {
    std::string proxy_token;
    std::string proxy_email;
    std::string team_id;
    std::string team_name = "Customer Support";
};

class SparkState {
  public:
    explicit SparkState(const Seed& seed);

    // Called under the state's lock for every delivery, in creation order.
    void set_delivery_sink(std::function<void(Delivery)> sink);

    // The person a bearer token belongs to; nothing for an unknown token.
    std::optional<std::string> person_for_token(const std::string& token) const;
    std::string proxy_id() const { return proxy_id_; }

    // ---- Webex REST (caller = person id) ----
    Reply people_me(const std::string& caller) const;
    Reply get_person(const std::string& caller, const std::string& id) const;
    Reply list_people(const std::string& caller, const Query& query) const;

    Reply list_rooms(const std::string& caller, const Query& query) const;
    Reply create_room(const std::string& caller, const json& body);
    Reply get_room(const std::string& caller, const std::string& id) const;
    Reply update_room(const std::string& caller, const std::string& id, const json& body);

    Reply list_memberships(const std::string& caller, const Query& query) const;
    Reply create_membership(const std::string& caller, const json& body);
    Reply delete_membership(const std::string& caller, const std::string& id);
    Reply list_team_memberships(const std::string& caller, const Query& query) const;
    Reply create_team_membership(const std::string& caller, const json& body);

    // `file`: what the body's `files` URL held, fetched by the caller (message_files.h).
    Reply create_message(const std::string& caller, const json& body,
                         const std::optional<NewFile>& file = std::nullopt);
    Reply get_message(const std::string& caller, const std::string& id) const;
    Reply list_messages(const std::string& caller, const Query& query) const;
    // DELETE /v1/messages/{id} (spark_state_deletions.cpp): the author or a moderator of the
    // room; 204, and `messages`/`deleted` to the webhooks it matches.
    Reply delete_message(const std::string& caller, const std::string& id);

    Reply list_webhooks(const std::string& caller, const Query& query) const;
    Reply create_webhook(const std::string& caller, const json& body);
    Reply get_webhook(const std::string& caller, const std::string& id) const;
    Reply update_webhook(const std::string& caller, const std::string& id, const json& body);
    Reply delete_webhook(const std::string& caller, const std::string& id);

    ContentAnswer get_content(const std::string& caller, const std::string& id);
    // Where contents are shown as fetched: `{public}/v1/contents/{id}`.
    void set_public_base(const std::string& public_base);

    // ---- Admin API (tests and the UI) ----
    json admin_state() const;
    json admin_people() const;
    json admin_rooms() const;
    Reply admin_set_status(const std::string& person, const json& body);
    Reply admin_create_rooms(const json& body);
    Reply admin_rename_room(const std::string& room_id, const json& body);
    // body: {as: email|id, text | markdown, mentions: [email|id]}
    Reply admin_post(const std::string& room_id, const json& body,
                     const std::optional<NewFile>& file = std::nullopt);
    Reply admin_history(const std::string& room_id) const;
    // Deletes as `as` (email or id; the author when empty), by delete_message's rules.
    Reply admin_delete_message(const std::string& message_id, const std::string& as);
    // A stored file for the UI, without a token; nothing when unknown.
    std::optional<Content> admin_content(const std::string& id) const;
    // Every content stored from now on answers 423 this many times before its bytes (Webex
    // scanning it), with Retry-After `retry_after` seconds.
    void admin_set_scanning(int answers, int retry_after, const std::string& verdict = "clean");

    // The dispatcher reports each delivery; repeated failures make a webhook inactive.
    void delivery_result(const std::string& webhook_id, bool delivered);
    int failure_limit = 5;

  private:
    Instant tick();  // strictly increasing, so "oldest created" is well defined
    const Person* find_person(const std::string& id_or_email) const;
    bool is_member(const std::string& room_id, const std::string& person_id) const;
    bool is_team_member(const std::string& team_id, const std::string& person_id) const;
    json person_json(const Person& person, bool with_presence) const;
    json room_json(const Room& room) const;
    json membership_json(const Membership& membership) const;
    json team_membership_json(const TeamMembership& membership) const;
    json message_json(const Message& message) const;
    json webhook_json(const Webhook& webhook) const;
    Room& add_room(const std::string& title, const std::string& team_id,
                   const std::string& creator_id);
    Membership& add_membership(const std::string& room_id, const std::string& person_id,
                               bool moderator);
    Reply post_locked(const std::string& caller, const std::string& room_id,
                      const std::string& text, const std::string& markdown,
                      const std::optional<NewFile>& file = std::nullopt,
                      const std::string& parent_id = {});
    void deliver_locked(const Message& message);
    void deliver_deletion_locked(const Message& message, const std::string& actor_id);
    bool is_moderator(const std::string& room_id, const std::string& person_id) const;

    mutable std::mutex mutex_;
    std::function<void(Delivery)> sink_;
    Instant last_tick_{};
    std::uint64_t next_seq_ = 1;         // messages, in creation order
    std::uint64_t next_record_seq_ = 1;  // memberships, team memberships, webhooks
    std::string org_id_;
    std::string proxy_id_;
    std::string team_id_;
    std::string team_name_;
    Instant team_created_;
    std::vector<Person> people_;
    std::map<std::string, Room> rooms_;
    std::vector<Membership> memberships_;  // creation order (what listings page through)
    // (room id, person id) of every membership: is_member in O(log n), so listing 10,000 rooms
    // is not 10,000 scans of every membership. Kept in step by add_/delete_membership.
    std::set<std::pair<std::string, std::string>> member_index_;
    std::vector<TeamMembership> team_memberships_;
    std::map<std::string, Message> messages_;
    std::map<std::string, std::vector<std::string>> room_messages_;  // ids, oldest first
    std::vector<Webhook> webhooks_;                                  // creation order
    std::map<std::string, Content> contents_;                        // by id
    std::string public_base_ = "http://127.0.0.1:8090";
    int scan_answers_ = 0;
    int scan_retry_after_ = 1;
    std::string scan_verdict_ = "clean";
};

}  // namespace sb::sandbox::spark
