// POST /install: an image streamed in Block1 blocks through the ImageVerifier into the store's
// staging area, then switched in (docs/mgmt.md, "Install and update").
#include "records.h"
#include "reply.h"
#include "tc/mgmt/management.h"

namespace tc::mgmt {

using internal::CodeForError;
using internal::CodeForProblem;
using internal::SendError;

namespace {

struct Sections {
  std::span<const uint8_t> code;
  std::span<const uint8_t> data;
};

// The code and data of an image the verifier accepted (so the sizes are known to fit).
Sections SplitVerified(std::span<const uint8_t> image, const image::ContainerMetadata& m) {
  const size_t envelope = size_t{image[6]} << 8 | image[7];
  const size_t code_at = image::kImageHeaderSize + envelope;
  return {image.subspan(code_at, m.code_size),
          image.subspan(code_at + m.code_size, m.has_data ? m.data_size : 0)};
}

uint64_t ImageSize(const image::ImageVerifier& verifier, const image::ContainerMetadata& m) {
  return uint64_t{image::kImageHeaderSize} + verifier.envelope().size() + m.code_size +
         (m.has_data ? m.data_size : 0);
}

}  // namespace

void Management::PostInstall(void* self, const coap::Request& request, coap::Response& response) {
  static_cast<Management*>(self)->Install(request, response);
}

void Management::EndUpload() {
  if (upload_.staging) store_.AbortImage();
  upload_ = Upload{};
  verifier_.reset();
}

void Management::Install(const coap::Request& request, coap::Response& response) {
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  const std::span<const uint8_t> payload = request.message.payload;
  const size_t offset = request.has_block1 ? request.block1.offset() : 0;
  const bool more = request.has_block1 && request.block1.more;

  if (offset == 0) {
    // Block 0 (or an image in one datagram) always starts a new upload.
    EndUpload();
    const Result<uint32_t> size1 = request.message.FindUint(coap::option::kSize1);
    if (size1.ok() && *size1 > config_.max_image_size) {
      SendError(response, coap::code::kRequestEntityTooLarge, "install",
                "Size1 is larger than the device accepts");
      return;
    }
    image::ImageVerifyOptions options;
    options.max_code_size = config_.max_image_size;
    options.max_data_size = config_.max_image_size;
    if (config_.wall_clock_s != nullptr) {
      options.check_expiry = true;
      options.now = config_.wall_clock_s(config_.wall_clock_context);
    }
    image::ImageSink sink;
    sink.context = this;
    sink.on_metadata = &OnMetadata;
    sink.on_code = &OnSection;
    sink.on_data = &OnSection;
    verifier_.emplace(trust_, options, sink);
    upload_.active = true;
    upload_.peer = request.peer;
  } else if (!upload_.active) {
    SendError(response, coap::code::kRequestEntityIncomplete, "install",
              "Block1 block without an upload in progress (start at block 0)");
    return;
  } else if (upload_.peer != request.peer || offset != upload_.received) {
    SendError(response, coap::code::kRequestEntityIncomplete, "install",
              upload_.peer != request.peer ? "Block1 block from another client"
                                           : "Block1 block out of order");
    return;
  }
  if (upload_.received + payload.size() > config_.max_image_size) {
    EndUpload();
    SendError(response, coap::code::kRequestEntityTooLarge, "install",
              "image is larger than the device accepts");
    return;
  }

  const Status fed = verifier_->Feed(payload);
  upload_.received += static_cast<uint32_t>(payload.size());
  if (!fed.ok()) {
    SendError(response, CodeForProblem(verifier_->problem(), fed), "install", fed);
    EndUpload();
    return;
  }
  if (more) {
    response.set_code(coap::code::kChanged);  // sent as 2.31 Continue
    return;
  }
  const Status finished = verifier_->Finish();
  if (!finished.ok()) {
    SendError(response, CodeForProblem(verifier_->problem(), finished), "install", finished);
    EndUpload();
    return;
  }
  FinishInstall(request, response);
}

Status Management::OnMetadata(void* self, const image::ContainerMetadata& metadata,
                              const image::TrustedKey&) {
  auto& m = *static_cast<Management*>(self);
  const Entry* existing = m.FindEntry(metadata.uid.view());
  if (existing != nullptr) {
    TC_RETURN_IF_ERROR(image::CheckVersion(existing->version, metadata.version));
  } else if (m.FreeEntry() == nullptr) {
    return Status(ErrorCode::kResourceExhausted, "no free container slot");
  }
  const uint64_t size = ImageSize(*m.verifier_, metadata);
  if (size > m.config_.max_image_size) {
    return Status(ErrorCode::kOutOfRange, "image is larger than the device accepts");
  }
  const Status begun = m.store_.BeginImage(metadata.uid.view(), static_cast<uint32_t>(size));
  if (!begun.ok()) {
    return begun.code() == ErrorCode::kResourceExhausted
               ? Status(ErrorCode::kOutOfRange, "image is larger than the free storage")
               : begun;
  }
  m.upload_.staging = true;
  TC_RETURN_IF_ERROR(m.store_.AppendImage(m.verifier_->header()));
  return m.store_.AppendImage(m.verifier_->envelope());
}

Status Management::OnSection(void* self, uint32_t, std::span<const uint8_t> bytes) {
  return static_cast<Management*>(self)->store_.AppendImage(bytes);
}

void Management::FinishInstall(const coap::Request& request, coap::Response& response) {
  internal::Format format;
  (void)internal::Negotiate(request, response, &format);  // checked when the upload began
  const image::ContainerMetadata& m = verifier_->metadata();
  Entry* entry = FindEntry(m.uid.view());
  const bool replaced = entry != nullptr;
  const bool was_started = replaced && entry->started;
  if (replaced) {
    // The old version leaves the engine only now that the new one is verified and staged.
    const engine::Container* old = engine_.Find(entry->id);
    if (old != nullptr &&
        (engine::IsActive(old->state) || old->state == engine::State::kSuspended)) {
      (void)engine_.ForceStop(entry->id);
    }
    (void)engine_.Remove(entry->id);
  } else {
    entry = FreeEntry();  // OnMetadata checked there is one; nothing frees or takes one since
    if (entry == nullptr) {
      SendError(response, internal::kServiceUnavailable, "install", "no free container slot");
      EndUpload();
      return;
    }
  }

  const Sections sections = SplitVerified(store_.StagedImage(), m);
  const engine::InstallRequest install{&m, sections.code, sections.data};
  Result<uint32_t> id = engine_.Install(install);
  Status committed = id.ok() ? store_.CommitImage() : id.status();
  if (id.ok() && !committed.ok()) (void)engine_.Remove(*id);
  if (!committed.ok()) {
    const uint8_t code = id.ok() ? coap::code::kInternalServerError : CodeForError(committed);
    SendError(response, code, "install", committed);
    const image::Uid uid = m.uid;  // the verifier is reused below
    EndUpload();
    if (replaced) {
      // Put the old version back as it was.
      const Result<uint32_t> old_id = ReinstallStored(uid.view(), &entry->version, &entry->runtime);
      if (old_id.ok()) {
        entry->id = *old_id;
        if (was_started) (void)engine_.Start(*old_id);
      } else {
        Note("install: old version lost", uid.view(), old_id.status());
        ForgetRecords(uid.view());
        *entry = Entry{};
      }
    }
    return;
  }

  upload_.staging = false;  // committed: nothing to abort any more
  entry->used = true;
  entry->id = *id;
  entry->uid = m.uid;
  entry->version = m.version;
  entry->runtime = m.runtime;
  entry->started = was_started;
  if (replaced) ForgetConfig(m.uid.view());
  if (was_started) {
    const Status started = engine_.Start(*id);
    if (!started.ok()) Note("install: start of the new version", m.uid.view(), started);
  }

  internal::Doc doc(scratch_);
  doc.Map(4);
  doc.Pair("id", *id);
  doc.Pair("uid", m.uid.view());
  doc.Pair("version", m.version);
  doc.PairBool("replaced", replaced);
  EndUpload();
  internal::SendDocument(response, format, doc, coap::code::kCreated);
}

Result<uint32_t> Management::ReinstallStored(std::string_view uid, uint32_t* version,
                                             image::RuntimeKind* runtime) {
  TC_ASSIGN_OR_RETURN(const std::span<const uint8_t> stored, store_.Image(uid));
  verifier_.emplace(trust_, image::ImageVerifyOptions{});
  Status status = verifier_->Feed(stored);
  if (status.ok()) status = verifier_->Finish();
  if (!status.ok()) {
    verifier_.reset();
    return status;
  }
  const image::ContainerMetadata& m = verifier_->metadata();
  if (m.uid.view() != uid) {
    verifier_.reset();
    return Status(ErrorCode::kInvalid, "stored image carries another uid");
  }
  const Sections sections = SplitVerified(stored, m);
  const Result<uint32_t> id = engine_.Install({&m, sections.code, sections.data});
  *version = m.version;
  *runtime = m.runtime;
  verifier_.reset();
  return id;
}

}  // namespace tc::mgmt
