// The libsrtp 3 API that mediasoup's worker uses, implemented over libsrtp2 (Debian 12 ships
// 2.5; mediasoup normally downloads libsrtp 3 as a meson subproject, which an offline build
// cannot). The offline build puts this file on the include path so that mediasoup's
// `#include <srtp.h>` finds it. Only the calls mediasoup makes are bridged; all four SRTP
// crypto suites it negotiates exist in libsrtp2 with the same wire format.
#pragma once

#ifndef __cplusplus
#error "this libsrtp 3 compatibility header is C++ only"
#endif

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

// libsrtp2 calls its policy struct srtp_policy_t, the name libsrtp 3 gives an opaque handle:
// rename the struct while its header is read so that the name is free for the handle below.
#define srtp_policy_t srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

// Codes libsrtp 3 appended after libsrtp2's last one (27); mediasoup names them in its table of
// error strings.
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

struct srtp3_compat_policy
{
	srtp2_policy_t policy;
	// libsrtp2 takes the master key as a pointer to key || salt, read during srtp_create().
	unsigned char key[SRTP_MAX_KEY_LEN];
};

using srtp_policy_t = srtp3_compat_policy*;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	// Value-initialised: every field zero is libsrtp2's "use the default".
	*policy = new (std::nothrow) srtp3_compat_policy{};

	return *policy ? srtp_err_status_ok : srtp_err_status_alloc_fail;
}

inline void srtp_policy_destroy(srtp_policy_t policy)
{
	delete policy;
}

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	policy->policy.ssrc = ssrc;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	const srtp_err_status_t err =
	  srtp_crypto_policy_set_from_profile_for_rtp(&policy->policy.rtp, profile);

	if (err != srtp_err_status_ok)
	{
		return err;
	}

	return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->policy.rtcp, profile);
}

inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t keyLen,
  const uint8_t* salt,
  size_t saltLen,
  const uint8_t* /*mki*/,
  size_t mkiLen)
{
	// A single master key without MKI is all mediasoup uses.
	if (mkiLen != 0 || keyLen + saltLen > sizeof(policy->key))
	{
		return srtp_err_status_bad_param;
	}

	std::memcpy(policy->key, key, keyLen);
	std::memcpy(policy->key + keyLen, salt, saltLen);
	policy->policy.key = policy->key;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	policy->policy.allow_repeat_tx = allow ? 1 : 0;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t windowSize)
{
	policy->policy.window_size = windowSize;

	return srtp_err_status_ok;
}

// Overloads of libsrtp2's C functions: the libsrtp 3 signatures differ, so calls resolve by
// their arguments.

inline srtp_err_status_t srtp_create(srtp_t* session, srtp_policy_t policy)
{
	return srtp_create(session, &policy->policy);
}

// libsrtp 3 reads from one buffer and writes to another; libsrtp2 transforms in place with an
// int length. So the packet is first copied to the output buffer, which must also have room for
// what libsrtp2 appends (authentication tag, plus the SRTCP index for RTCP).
namespace srtp3_compat
{
	using InPlaceTransform = srtp_err_status_t (*)(srtp_t, void*, int*);

	inline srtp_err_status_t TransformInto(
	  InPlaceTransform transform,
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t inLen,
	  uint8_t* out,
	  size_t* outLen,
	  size_t growth)
	{
		if (inLen > INT_MAX - growth || *outLen < inLen + growth)
		{
			return srtp_err_status_buffer_small;
		}

		if (out != in)
		{
			std::memmove(out, in, inLen);
		}

		int len = static_cast<int>(inLen);
		const srtp_err_status_t err = transform(ctx, out, &len);

		if (err == srtp_err_status_ok)
		{
			*outLen = static_cast<size_t>(len);
		}

		return err;
	}
} // namespace srtp3_compat

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
	{
		return srtp_err_status_bad_mki;
	}

	return srtp3_compat::TransformInto(srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return srtp3_compat::TransformInto(srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen, 0);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
	{
		return srtp_err_status_bad_mki;
	}

	return srtp3_compat::TransformInto(
	  srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + sizeof(uint32_t));
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return srtp3_compat::TransformInto(srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
}

// Renamed in libsrtp 3; both take the SSRC in network byte order.
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}
