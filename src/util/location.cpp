// The process-wide table of source file names behind FileId (include/redress/location.hpp).
#include <deque>
#include <map>
#include <mutex>
#include <utility>

#include "redress/location.hpp"

namespace redress {

namespace {

struct FileName {
  std::string path, name;
};

// Entries never move (std::deque keeps references on push_back), so a reference handed out
// stays valid after the lock is released.
struct FileTable {
  std::mutex mutex;
  std::deque<FileName> files;                                   // id - 1 -> names
  std::map<std::pair<std::string, std::string>, FileId> ids;    // names -> id
};

FileTable& table() {
  static FileTable* t = new FileTable();  // never destroyed: locations may be formatted at exit
  return *t;
}

const FileName* lookup(FileId file) {
  if (file == 0) return nullptr;
  FileTable& t = table();
  std::lock_guard<std::mutex> lock(t.mutex);
  return file <= t.files.size() ? &t.files[file - 1] : nullptr;
}

const std::string& empty() {
  static const std::string s;
  return s;
}

}  // namespace

const std::string& source_path(FileId file) {
  const FileName* f = lookup(file);
  return f ? f->path : empty();
}

const std::string& source_name(FileId file) {
  const FileName* f = lookup(file);
  return f ? f->name : empty();
}

std::string to_string(const SourceLocation& at) {
  std::string s = source_name(at.file);
  if (s.empty() || !at.line) return s;
  return s + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

namespace detail {

FileId intern_source_file(const std::string& path, const std::string& name) {
  FileTable& t = table();
  std::lock_guard<std::mutex> lock(t.mutex);
  auto key = std::make_pair(path, name);
  auto it = t.ids.find(key);
  if (it != t.ids.end()) return it->second;
  t.files.push_back(FileName{path, name});
  FileId id = static_cast<FileId>(t.files.size());
  t.ids.emplace(std::move(key), id);
  return id;
}

}  // namespace detail

}  // namespace redress
