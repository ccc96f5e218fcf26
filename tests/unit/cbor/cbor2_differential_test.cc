// Differential test against Debian's python3-cbor2: documents generated and encoded by cbor2
// (canonical) must decode to the items cbor2 describes, pass the strict deterministic reader and
// re-encode byte for byte. The file is generated at build time by cbor2_docs.py.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cbor_test_util.h"

namespace tc::cbor {
namespace {

TEST(Cbor2Differential, DecodeAndReencodeMatchCbor2) {
  std::ifstream in(TC_CBOR2_DOCS);
  ASSERT_TRUE(in.good()) << "missing " << TC_CBOR2_DOCS;
  std::string line;
  int documents = 0;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos);
    const std::vector<uint8_t> bytes = testing::FromHex(line.substr(0, tab));
    const std::string expected_tokens = line.substr(tab + 1);
    std::string tokens;
    Status status = testing::Describe(bytes, &tokens);
    ASSERT_TRUE(status.ok()) << "document " << documents << ": " << status.message() << " at "
                             << status.position();
    EXPECT_EQ(tokens, expected_tokens) << "document " << documents;
    std::vector<uint8_t> reencoded;
    ASSERT_TRUE(testing::Transcode(bytes, &reencoded).ok());
    EXPECT_EQ(testing::ToHex(reencoded), line.substr(0, tab)) << "document " << documents;
    ++documents;
  }
  EXPECT_GE(documents, 1000);
}

}  // namespace
}  // namespace tc::cbor
