#include "tc/base/status.h"
#include "tc/base/result.h"

#include <gtest/gtest.h>

#include <string>

namespace tc {
namespace {

TEST(Status, DefaultIsOkWithEmptyMessage) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
  EXPECT_STREQ(s.message(), "");
  EXPECT_FALSE(s.has_position());
}

TEST(Status, CarriesCodeMessageAndPosition) {
  Status s(ErrorCode::kMalformed, "bad magic", 4);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s, ErrorCode::kMalformed);
  EXPECT_STREQ(s.message(), "bad magic");
  EXPECT_EQ(s.position(), 4u);
}

TEST(Status, AtKeepsTheInnermostPosition) {
  Status inner(ErrorCode::kTruncated, "short");
  EXPECT_EQ(inner.At(7).position(), 7u);
  EXPECT_EQ(inner.At(7).At(20).position(), 7u);
}

TEST(Status, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
    EXPECT_STRNE(ToString(static_cast<ErrorCode>(c)), "unknown error") << c;
  }
}

Status FailsWhen(bool fail) {
  return fail ? Status(ErrorCode::kInvalidArgument, "asked to fail") : Status::Ok();
}

Status Chain(bool fail) {
  TC_RETURN_IF_ERROR(FailsWhen(fail));
  return Status(ErrorCode::kNotFound, "reached the end");
}

TEST(Status, ReturnIfErrorPropagatesOnlyErrors) {
  EXPECT_EQ(Chain(true), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Chain(false), ErrorCode::kNotFound);
}

Result<int> Half(int v) {
  if (v % 2 != 0) return Status(ErrorCode::kInvalidArgument, "odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  TC_ASSIGN_OR_RETURN(int h, Half(v));
  return Half(h);
}

TEST(Result, HoldsValueOrStatus) {
  auto ok = Half(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 4);
  auto bad = Half(3);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(Result, AssignOrReturnPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Quarter(5).status(), ErrorCode::kInvalidArgument);
}

TEST(Result, OkStatusWithoutValueBecomesInternalError) {
  Result<int> r(Status::Ok());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status(), ErrorCode::kInternal);
}

TEST(Result, CopiesAndMovesNonTrivialValues) {
  Result<std::string> a(std::string(100, 'x'));
  Result<std::string> b = a;
  EXPECT_EQ(*b, *a);
  Result<std::string> c = std::move(a);
  EXPECT_EQ(c->size(), 100u);
  c = Result<std::string>(Status(ErrorCode::kNotFound, "gone"));
  EXPECT_FALSE(c.ok());
  c = b;
  EXPECT_EQ(c->size(), 100u);
}

}  // namespace
}  // namespace tc
