// The HTTP face of a LivePack (`redress serve`, docs/openapi.yaml): routes, JSON errors with
// status codes, size limits and metrics. Built on cpp-httplib (Debian libcpp-httplib-dev): its
// blocking thread-pool server fits an engine whose evaluation is short, CPU-bound and
// thread-safe, and it is one small header and library, where Boost.Beast would need us to write
// the connection handling, parsing loop and thread pool ourselves.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "redress/live_pack.hpp"
#include "serve/metrics.hpp"

namespace redress::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                              // 0: any free port (bind() returns it)
  std::size_t max_case_bytes = 4u << 20;        // one case: the CLI's and loader's 4 MiB
  std::size_t max_body_bytes = 64u << 20;       // a whole request (a bulk body of many cases)
};

class Server {
 public:
  Server(LivePack& live, Metrics& metrics, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port, or -1 (errno tells why).
  int bind();
  // Serves until stop(); false when serving failed.
  bool listen();
  // From any thread: no new connection is accepted, requests in progress finish.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace redress::serve
