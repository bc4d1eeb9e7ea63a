#pragma once
// One room per customer: the CreateRoom the router asks for when a customer's messages wait for
// a room nobody has listed, at most one in flight per customer, and its retry after a failure
// (through a fresh sync first: the failure may have come after the room was made, and a second
// room is worse than a late one). Also whether the customer is owed the welcome SMS.
#include <map>
#include <optional>
#include <string>

#include "backoff.h"
#include "commands.h"
#include "core_types.h"

namespace sb::router {

class RoomRequests {
  public:
    explicit RoomRequests(RetryPolicy retry) : retry_(retry) {}

    // A customer the router serves in this life (they wrote or called).
    void serve(const std::string& customer) { customers_[customer]; }
    bool serves(const std::string& customer) const { return customers_.count(customer) > 0; }

    // Their messages wait for a room nobody has listed yet.
    void want(const std::string& customer) { customers_[customer].wanted = true; }
    bool wanted(const std::string& customer) const;
    // A CreateRoom in flight, or a failed one waiting for its retry: ask for nothing now.
    bool in_flight(const std::string& customer) const;
    bool retry_waiting(const std::string& customer) const;

    // The CreateRoom for `customer`: remembered as in flight.
    Envelope request(const std::string& customer, Commands& commands);
    // A RoomCreated for `customer`: nothing is in flight any more.
    void created(const std::string& customer);
    // A CreateRoom of ours failed: retried after a pause (true), or not ours (false).
    bool failed(const std::string& command_id, Time now);
    // A room appeared that does not name the customer it was made for: retry through a sync.
    void unplaced(const std::string& customer, Time now);
    // The customer's room is known: nothing is wanted, no retry waits.
    void placed(const std::string& customer);
    // Some failed CreateRoom is due for its retry (which starts with a sync).
    bool retry_due(Time now) const;

    // The welcome SMS: owed to a customer who wrote (not only called), once per life.
    void texted(const std::string& customer) { customers_[customer].texted = true; }
    bool owes_welcome(const std::string& customer) const;
    void welcomed(const std::string& customer) { customers_[customer].welcomed = true; }

  private:
    struct Customer {
        std::string create_id;  // the CreateRoom in flight; empty when none
        bool wanted = false;    // messages wait for a room nobody has listed yet
        Backoff retry;          // a failed CreateRoom is retried after this
        bool texted = false;    // wrote (not only called) in this life: owed the welcome
        bool welcomed = false;
    };

    RetryPolicy retry_;
    std::map<std::string, Customer> customers_;    // by E.164
    std::map<std::string, std::string> commands_;  // CreateRoom id -> customer
};

}  // namespace sb::router
