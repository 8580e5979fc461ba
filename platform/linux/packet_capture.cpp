// Packet capture through libpcap, one handle per interface ("any" by default, in cooked-v2
// framing so that every packet says its interface and direction), and the capture file.

#include "portscope/platform/packet_capture.h"

#include "linux/socket_capture.h"
#include "portscope/platform/system.h"

#include <cerrno>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <system_error>
#include <unistd.h>

namespace portscope::platform {

namespace {

using Kind = CaptureError::Kind;

// libpcap's DLT_ values are the file format's LINKTYPE_ values but for a few that differ
// between systems; only those PortScope's captures meet are mapped.
std::uint16_t linkTypeOf(int dlt) {
    switch (dlt) {
    case DLT_RAW:
        return core::pcapng::kLinkTypeRaw;
    case DLT_NULL:
        return core::pcapng::kLinkTypeLoopbackNull;
    default:
        return static_cast<std::uint16_t>(dlt);
    }
}

struct Handle {
    pcap_t* pcap = nullptr;
    int fd = -1;
    CapturedInterface interface;
};

struct Closer {
    void operator()(pcap_t* pcap) const { pcap_close(pcap); }
};

class LibpcapCapture final : public PacketCapture {
public:
    explicit LibpcapCapture(const CaptureOptions& options) {
        std::vector<std::string> names = options.interfaces;
        if (names.empty()) {
            names.push_back("any");
        }
        try {
            for (const auto& name : names) {
                open(name, options);
            }
        } catch (...) {
            closeAll();
            throw;
        }
    }
    ~LibpcapCapture() override { closeAll(); }
    LibpcapCapture(const LibpcapCapture&) = delete;
    LibpcapCapture& operator=(const LibpcapCapture&) = delete;

    const std::vector<CapturedInterface>& interfaces() const override { return interfaces_; }

    void setFilter(const std::string& expression) override {
        for (const Handle& handle : handles_) {
            bpf_program program{};
            if (pcap_compile(handle.pcap, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) !=
                0) {
                throw CaptureError(Kind::BadFilter,
                                   "the capture filter '" + expression +
                                       "' is not valid: " + pcap_geterr(handle.pcap));
            }
            const int status = pcap_setfilter(handle.pcap, &program);
            pcap_freecode(&program);
            if (status != 0) {
                throw CaptureError(Kind::Failed, "cannot set the capture filter on " +
                                                     handle.interface.name + ": " +
                                                     pcap_geterr(handle.pcap));
            }
        }
    }

    std::size_t read(std::chrono::milliseconds timeout, std::size_t maxPackets,
                     const std::function<void(const CapturedPacket&)>& onPacket) override {
        std::vector<pollfd> fds;
        for (const Handle& handle : handles_) {
            fds.push_back({handle.fd, POLLIN, 0});
        }
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
        if (ready < 0 && errno != EINTR) {
            throw CaptureError(Kind::Failed, "waiting for packets failed: " +
                                                 std::generic_category().message(errno));
        }
        std::size_t delivered = 0;
        for (std::size_t i = 0; i < handles_.size() && delivered < maxPackets; ++i) {
            Delivery delivery{static_cast<std::uint32_t>(i), &onPacket};
            // Non-blocking: takes what the ring holds now, however poll() answered (the
            // buffer timeout may have passed without a wake-up).
            const int count =
                pcap_dispatch(handles_[i].pcap, static_cast<int>(maxPackets - delivered),
                              &LibpcapCapture::deliver, reinterpret_cast<u_char*>(&delivery));
            if (count < 0) {
                throw CaptureError(Kind::Failed, "capturing on " + handles_[i].interface.name +
                                                     " failed: " + pcap_geterr(handles_[i].pcap));
            }
            delivered += static_cast<std::size_t>(count);
        }
        return delivered;
    }

    std::vector<CaptureStatistics> statistics() override {
        std::vector<CaptureStatistics> result;
        for (const Handle& handle : handles_) {
            pcap_stat stat{};
            CaptureStatistics statistics;
            if (pcap_stats(handle.pcap, &stat) == 0) {
                statistics.received = stat.ps_recv;
                statistics.dropped = stat.ps_drop;
                statistics.droppedByInterface = stat.ps_ifdrop;
            }
            result.push_back(statistics);
        }
        return result;
    }

private:
    struct Delivery {
        std::uint32_t interface;
        const std::function<void(const CapturedPacket&)>* onPacket;
    };

    static void deliver(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
        const auto* delivery = reinterpret_cast<const Delivery*>(user);
        CapturedPacket packet;
        packet.interface = delivery->interface;
        // Nanosecond precision was asked for: tv_usec holds nanoseconds.
        packet.timestampNs = static_cast<std::uint64_t>(header->ts.tv_sec) * 1'000'000'000ULL +
                             static_cast<std::uint64_t>(header->ts.tv_usec);
        packet.originalLength = header->len;
        packet.data = std::string_view(reinterpret_cast<const char*>(bytes), header->caplen);
        (*delivery->onPacket)(packet);
    }

    void open(const std::string& name, const CaptureOptions& options) {
        char error[PCAP_ERRBUF_SIZE] = {};
        std::unique_ptr<pcap_t, Closer> pcap(pcap_create(name.c_str(), error));
        if (!pcap) {
            throw CaptureError(Kind::Failed, "cannot capture on " + name + ": " + error);
        }
        pcap_set_snaplen(pcap.get(), static_cast<int>(options.snapLength));
        pcap_set_promisc(pcap.get(), 0);
        pcap_set_timeout(pcap.get(), 50);
        pcap_set_buffer_size(pcap.get(), static_cast<int>(options.bufferBytes));
        pcap_set_tstamp_precision(pcap.get(), PCAP_TSTAMP_PRECISION_NANO);
        const int status = pcap_activate(pcap.get());
        if (status < 0) {
            const std::string why =
                status == PCAP_ERROR ? pcap_geterr(pcap.get()) : pcap_statustostr(status);
            if (status == PCAP_ERROR_PERM_DENIED) {
                throw CaptureError(
                    Kind::PermissionDenied,
                    "capturing packets needs administrator rights (CAP_NET_RAW): " + why +
                        ". Use --elevated, which captures through "
                        "portscope-helper");
            }
            throw CaptureError(Kind::Failed, "cannot capture on " + name + ": " + why);
        }
        if (name == "any") {
            // Cooked v2 carries the interface index and the direction; v1 is the fallback.
            pcap_set_datalink(pcap.get(), DLT_LINUX_SLL2);
        }
        if (pcap_setnonblock(pcap.get(), 1, error) != 0) {
            throw CaptureError(Kind::Failed, "cannot capture on " + name + ": " + error);
        }
        Handle handle;
        handle.fd = pcap_get_selectable_fd(pcap.get());
        handle.interface.name = name;
        handle.interface.linkType = linkTypeOf(pcap_datalink(pcap.get()));
        handle.interface.snapLength = static_cast<std::uint32_t>(pcap_snapshot(pcap.get()));
        handle.pcap = pcap.release();
        handles_.push_back(handle);
        interfaces_.push_back(handle.interface);
    }

    void closeAll() {
        for (Handle& handle : handles_) {
            pcap_close(handle.pcap);
        }
        handles_.clear();
    }

    std::vector<Handle> handles_;
    std::vector<CapturedInterface> interfaces_;
};

std::string errnoText(int error) {
    return std::generic_category().message(error);
}

class DescriptorOutput final : public CaptureOutput {
public:
    DescriptorOutput(int fd, std::string name, bool owned)
        : fd_(fd), name_(std::move(name)), owned_(owned) {
        struct stat status {};
        seekable_ = ::fstat(fd_, &status) == 0 && S_ISREG(status.st_mode);
    }
    ~DescriptorOutput() override {
        if (owned_) {
            ::close(fd_);
        }
    }
    DescriptorOutput(const DescriptorOutput&) = delete;
    DescriptorOutput& operator=(const DescriptorOutput&) = delete;

    bool write(std::string_view bytes, std::string& error) override {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                error = "cannot write to " + name_ + ": " + errnoText(n < 0 ? errno : ENOSPC);
                size_ += done;
                if (done > 0) {
                    truncate(size_ - done); // a cut block would make the file unreadable
                }
                return false;
            }
            done += static_cast<std::size_t>(n);
        }
        size_ += done;
        return true;
    }

    bool truncate(std::uint64_t size) override {
        if (!seekable_ || size > size_) {
            return false;
        }
        if (::ftruncate(fd_, static_cast<off_t>(size)) != 0 ||
            ::lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) {
            return false;
        }
        size_ = size;
        return true;
    }

    std::uint64_t size() const override { return size_; }
    const std::string& name() const override { return name_; }

private:
    int fd_;
    std::string name_;
    bool owned_;
    bool seekable_ = false;
    std::uint64_t size_ = 0;
};

} // namespace

std::unique_ptr<PacketCapture> openPacketCapture(const CaptureOptions& options) {
    if (options.bySocket) {
        return linuxsys::openSocketCapture(options);
    }
    return std::make_unique<LibpcapCapture>(options);
}

struct linuxsys::RawPacketFilter::Program {
    bpf_program compiled{};
    ~Program() { pcap_freecode(&compiled); }
};

linuxsys::RawPacketFilter::RawPacketFilter(const std::string& expression)
    : program_(std::make_unique<Program>()) {
    std::unique_ptr<pcap_t, Closer> dead(pcap_open_dead(DLT_RAW, 65536));
    if (!dead) {
        throw CaptureError(Kind::Failed, "Cannot compile the capture filter.");
    }
    if (pcap_compile(dead.get(), &program_->compiled, expression.c_str(), 1,
                     PCAP_NETMASK_UNKNOWN) != 0) {
        throw CaptureError(Kind::BadFilter, pcap_geterr(dead.get()));
    }
}

linuxsys::RawPacketFilter::~RawPacketFilter() = default;

bool linuxsys::RawPacketFilter::matches(std::string_view packet,
                                        std::uint32_t originalLength) const {
    pcap_pkthdr header{};
    header.caplen = static_cast<bpf_u_int32>(packet.size());
    header.len = originalLength;
    return pcap_offline_filter(&program_->compiled, &header,
                               reinterpret_cast<const u_char*>(packet.data())) != 0;
}

std::string captureFilterProblem(const std::string& expression) {
    // Checked against both framings a capture uses; only the syntax and the names matter here.
    std::unique_ptr<pcap_t, Closer> dead(pcap_open_dead(DLT_LINUX_SLL2, 262144));
    if (!dead) {
        return "cannot check the filter";
    }
    bpf_program program{};
    if (pcap_compile(dead.get(), &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        return pcap_geterr(dead.get());
    }
    pcap_freecode(&program);
    return {};
}

std::unique_ptr<CaptureOutput> CaptureOutput::createFile(const std::string& path) {
    core::UniqueFile file = createPrivateFile(path);
    const int fd = ::fcntl(::fileno(file.get()), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error("Cannot create '" + path + "': " + errnoText(errno));
    }
    return std::make_unique<DescriptorOutput>(fd, path, true);
}

std::unique_ptr<CaptureOutput> CaptureOutput::standardOutput() {
    return std::make_unique<DescriptorOutput>(STDOUT_FILENO, "standard output", false);
}

std::unique_ptr<CaptureOutput> CaptureOutput::adoptDescriptor(int fd, std::string name) {
    return std::make_unique<DescriptorOutput>(fd, std::move(name), true);
}

std::string operatingSystemDescription() {
    utsname name{};
    if (::uname(&name) != 0) {
        return "Linux";
    }
    return std::string(name.sysname) + ' ' + name.release + ' ' + name.machine;
}

} // namespace portscope::platform

namespace portscope::platform {

std::string localHostName() {
    utsname name{};
    return ::uname(&name) == 0 ? std::string(name.nodename) : std::string("this computer");
}

} // namespace portscope::platform
