// Building a refusal: the Status returned to the caller and, if asked for, the MetadataError
// naming the field. Shared by the validator, decoder and encoder.
#pragma once

#include "tc/image/metadata_error.h"

namespace tc::image::internal {

ErrorCode CodeFor(MetadataProblem problem);

inline Status Refuse(MetadataError* error, MetadataProblem problem, MetadataField field,
                     const char* message, uint32_t position = Status::kNoPosition,
                     uint8_t index = MetadataError::kNoIndex, ErrorCode code = ErrorCode::kOk) {
  const Status status(code == ErrorCode::kOk ? CodeFor(problem) : code, message, position);
  if (error != nullptr) {
    error->problem = problem;
    error->field = field;
    error->index = index;
    error->status = status;
  }
  return status;
}

}  // namespace tc::image::internal
