#pragma once
// Which webhooks a new message reaches, and what each is sent: Webex's rules for
// `messages`/`created`, as pure functions. The dispatcher does the sending.
#include <optional>
#include <string>

#include "webex_model.h"

namespace sb::sandbox::spark {

// One signed POST the dispatcher must make, built under the state's lock so deliveries leave
// in the order the messages were created.
struct Delivery {
    std::string webhook_id;
    std::string target_url;
    std::string secret;
    std::string body;
};

// True when `webhook`'s filter ("roomId=..&personEmail=..", every condition must hold) admits
// `message`. `author` is null when unknown (a personEmail condition then fails).
bool filter_admits(const Webhook& webhook, const Message& message, const Person* author,
                   const std::string& room_type);

// The delivery of `message` to `webhook`, or nothing when the webhook is inactive, listens for
// something else, or filters the message out. The body carries ids only: the receiver fetches the
// text with its own token.
std::optional<Delivery> delivery_for(const Webhook& webhook, const Message& message,
                                     const Person* author, const std::string& room_type,
                                     const std::string& org_id);

// The same for `messages`/`deleted`: the deleted message's ids (as for created: id, roomId,
// roomType, personId and personEmail of its author, created), `actorId` the one who deleted it.
std::optional<Delivery> deletion_for(const Webhook& webhook, const Message& message,
                                     const Person* author, const std::string& room_type,
                                     const std::string& org_id, const std::string& actor_id);

}  // namespace sb::sandbox::spark
