#pragma once
// The SMS a caller gets when the contact center missed their forwarded call (MISSED_CALL_TEXT):
// one per call, however often the call's outcome reaches the router (a carrier's retry, a
// gateway's re-publication, the router's own restart while the note waits for the room).
//
// A missed call owes its caller a text-back until the caller's room is known (the SMS names it,
// so a failure report lands there, and a refusal by the SMS policy is noted there); then the
// core takes what is owed, and the call ids it texted for are remembered with that step
// (remembered.h, key missed.<call id>), bounded: the oldest are let go past the capacity.
// Plain data, no clock: the core drives it.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "remembered.h"
#include "switchboard/recent_ids.h"

namespace sb::router {

inline constexpr std::string_view kMissedCallPrefix = "missed.";

// MISSED_CALL_TEXT's default: the invitation to text instead, naming the company.
std::string default_missed_call_text(std::string_view company_name);

class MissedCalls {
  public:
    explicit MissedCalls(size_t remembered_calls) : texted_(remembered_calls) {}

    // A missed call was reported: a text-back is owed unless this call had one or is owed one.
    void missed(const std::string& customer, const std::string& call_id);
    bool owes(const std::string& customer) const { return owed_.count(customer) > 0; }
    // The calls `customer` is owed a text-back for (one SMS answers them all), now counted as
    // texted; what to keep and let go is added to `remember`.
    std::vector<std::string> take(const std::string& customer, std::vector<Remembered>& remember);
    // Input::start: the calls earlier lives texted back for.
    void restore(const Memory& memory);

  private:
    RecentIds texted_;
    std::map<std::string, std::vector<std::string>> owed_;  // customer -> call ids
};

}  // namespace sb::router
