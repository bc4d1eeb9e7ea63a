#include "switchboard/membership.h"

#include <stdexcept>
#include <string>

namespace sb {
namespace {

// Far more replicas than anyone runs: a bound, so a broken folder cannot loop for ever.
constexpr std::uint32_t kMaxSlots = 4096;

std::filesystem::path slot_path(const std::filesystem::path& dir, const std::string& service,
                                std::uint32_t slot) {
    return dir / (service + "." + std::to_string(slot) + ".lock");
}

}  // namespace

FileLock Membership::lease(const std::filesystem::path& dir, const std::string& service,
                           std::uint32_t& slot) {
    for (slot = 0; slot < kMaxSlots; ++slot) {
        if (auto lock = FileLock::try_take(slot_path(dir, service, slot))) return std::move(*lock);
    }
    throw std::runtime_error("no free slot for " + service + " under " + dir.string());
}

Membership::Membership(const std::filesystem::path& data_dir, const std::string& service)
    : dir_(data_dir / "slots"), service_(service), lock_(lease(dir_, service_, slot_)) {}

std::uint32_t Membership::live_members() const {
    std::uint32_t live = 0;
    std::error_code error;
    const std::string prefix = service_ + ".";
    for (const auto& entry : std::filesystem::directory_iterator(dir_, error)) {
        const std::string name = entry.path().filename().string();
        // "<service>.<digits>.lock": another service's "<service>-x.<n>.lock" does not count.
        if (name.rfind(prefix, 0) != 0 || entry.path().extension() != ".lock") continue;
        const std::string middle = entry.path().stem().string().substr(prefix.size());
        if (middle.empty() || middle.find_first_not_of("0123456789") != std::string::npos) continue;
        if (FileLock::is_held(entry.path())) ++live;
    }
    return live == 0 ? 1 : live;  // this replica holds one: never divide by zero
}

}  // namespace sb
