#pragma once
// A replica's membership of its service (README, "Partitions and replicas"): the first free slot
// `DATA_DIR/slots/<service>.<n>.lock`, leased for the process's life (the service's name in it,
// so services sharing one DATA_DIR, as scripts/run's do, count only their own). The slot names the
// replica's intake journal, and the held slots are the live members the fair share divides by.
#include <cstdint>
#include <filesystem>
#include <string>

#include "switchboard/file_lock.h"

namespace sb {

class Membership {
  public:
    // Leases the lowest free slot of `service` under `data_dir`.
    Membership(const std::filesystem::path& data_dir, const std::string& service);

    std::uint32_t slot() const { return slot_; }
    // Slots whose lock somebody holds (this one included): the live replicas sharing data_dir.
    std::uint32_t live_members() const;

  private:
    static FileLock lease(const std::filesystem::path& dir, const std::string& service,
                          std::uint32_t& slot);
    std::filesystem::path dir_;
    std::string service_;
    std::uint32_t slot_ = 0;
    FileLock lock_;
};

}  // namespace sb
