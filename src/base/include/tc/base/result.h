// Result<T>: either a value or the Status that explains why there is none.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include "tc/base/status.h"

namespace tc {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported; use Result<T*>");

 public:
  Result(const T& value) : status_() { new (&value_) T(value); }
  Result(T&& value) : status_() { new (&value_) T(std::move(value)); }
  // An error Result; passing an OK status is a programming error and becomes kInternal.
  Result(Status status)
      : status_(status.ok() ? Status(ErrorCode::kInternal, "Result built from OK status")
                            : status) {}

  Result(const Result& other) : status_(other.status_) {
    if (ok()) new (&value_) T(other.value_);
  }
  Result(Result&& other) noexcept : status_(other.status_) {
    if (ok()) new (&value_) T(std::move(other.value_));
  }
  Result& operator=(const Result& other) {
    if (this != &other) {
      Reset();
      status_ = other.status_;
      if (ok()) new (&value_) T(other.value_);
    }
    return *this;
  }
  Result& operator=(Result&& other) noexcept {
    if (this != &other) {
      Reset();
      status_ = other.status_;
      if (ok()) new (&value_) T(std::move(other.value_));
    }
    return *this;
  }
  ~Result() { Reset(); }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Accessing the value of an error Result is a programming error (checked in debug builds).
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T& operator*() & { return value_; }
  const T& operator*() const& { return value_; }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

  T value_or(T fallback) const { return ok() ? value_ : fallback; }

 private:
  void Reset() {
    if (ok()) value_.~T();
  }

  Status status_;
  union {
    T value_;
  };
};

}  // namespace tc

#define TC_CONCAT_INNER(a, b) a##b
#define TC_CONCAT(a, b) TC_CONCAT_INNER(a, b)

// TC_ASSIGN_OR_RETURN(auto x, Expr()): binds the value or returns the error Status.
#define TC_ASSIGN_OR_RETURN(decl, expr) \
  TC_ASSIGN_OR_RETURN_IMPL(TC_CONCAT(tc_result_, __LINE__), decl, expr)
#define TC_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  decl = std::move(tmp).value()
