/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AF_PACKET I/O for one interface.  Receiving: a TPACKET_V3 ring, whose
 * blocks the kernel hands over full or after a short timeout, so one
 * wakeup brings many frames.  Sending: frames are copied into a batch and
 * go out with one sendmmsg(); veth's transmit path, not the syscall, is
 * the limit there (engine-notes.md 4), so a TX ring would gain little.
 * PACKET_VNET_HDR (when the kernel has it) puts a virtio_net_hdr before
 * each frame both ways: a frame a local sender left its checksum to
 * offload can be forwarded still partial (CHECKSUM_PARTIAL through veth:
 * nobody sums the payload, as with the kernel's own forwarding).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include "netif.h"

#define PIO_BLOCK_SIZE (1u << 18)
#define PIO_NBLOCKS 64
#define PIO_BLOCK_TMO_MS 1	/* latency of a partly filled block */

static int fail(struct erec_list *errs, const char *name, const char *what)
{
	erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL, "%s: %s: %s", name,
		 what, strerror(errno));
	return -1;
}

static int setup_ring(struct pio *io, const char *name,
		      struct erec_list *errs)
{
	struct tpacket_req3 req = {
		.tp_block_size = PIO_BLOCK_SIZE,
		.tp_block_nr = PIO_NBLOCKS,
		.tp_frame_size = PIO_FRAME_MAX,
		.tp_frame_nr = PIO_BLOCK_SIZE / PIO_FRAME_MAX * PIO_NBLOCKS,
		.tp_retire_blk_tov = PIO_BLOCK_TMO_MS,
	};
	int v = TPACKET_V3, one = 1;

	/* before the ring: the kernel refuses it once a ring exists */
	io->vnet = setsockopt(io->fd, SOL_PACKET, PACKET_VNET_HDR, &one,
			      sizeof(one)) == 0;
	if (setsockopt(io->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return fail(errs, name, "TPACKET_V3");
	if (setsockopt(io->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return fail(errs, name, "PACKET_RX_RING");
	io->block_size = PIO_BLOCK_SIZE;
	io->nblocks = PIO_NBLOCKS;
	io->ring_len = (size_t)PIO_BLOCK_SIZE * PIO_NBLOCKS;
	io->ring = mmap(NULL, io->ring_len, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_LOCKED | MAP_POPULATE, io->fd, 0);
	if (io->ring == MAP_FAILED)
		io->ring = mmap(NULL, io->ring_len, PROT_READ | PROT_WRITE,
				MAP_SHARED, io->fd, 0);
	if (io->ring == MAP_FAILED) {
		io->ring = NULL;
		return fail(errs, name, "mmap");
	}
	return 0;
}

/* Optional: the engine works without them, a little slower. */
static void set_options(struct pio *io)
{
	int one = 1;

	/* our own frames would come back to the ring otherwise */
	setsockopt(io->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		   sizeof(one));
	setsockopt(io->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
}

int pio_open(struct pio *io, const char *name, int ifindex,
	     struct erec_list *errs)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};

	memset(io, 0, offsetof(struct pio, txlen));
	/* protocol 0: nothing arrives before the bind to this interface */
	io->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (io->fd < 0)
		return fail(errs, name, "AF_PACKET socket (needs CAP_NET_RAW)");
	if (setup_ring(io, name, errs))
		goto err;
	set_options(io);
	if (bind(io->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fail(errs, name, "bind");
		goto err;
	}
	return 0;
err:
	pio_close(io);
	return -1;
}

void pio_close(struct pio *io)
{
	if (io->ring)
		munmap(io->ring, io->ring_len);
	if (io->fd >= 0)
		close(io->fd);
	io->ring = NULL;
	io->fd = -1;
}

static void rx_block(const struct pio *io, struct tpacket_block_desc *bd,
		     pio_rx_fn fn, void *ctx)
{
	uint8_t *h = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
	const struct tpacket3_hdr *t;
	const struct sockaddr_ll *sll;
	uint32_t i;

	for (i = 0; i < bd->hdr.bh1.num_pkts; i++) {
		t = (const struct tpacket3_hdr *)(void *)h;
		sll = (const struct sockaddr_ll *)(void *)
			(h + TPACKET_ALIGN(sizeof(*t)));
		/* the kernel writes the vnet header just before the frame */
		if (sll->sll_pkttype != PACKET_OUTGOING)
			fn(ctx, h + t->tp_mac, t->tp_len, t->tp_snaplen,
			   t->tp_status, io->vnet ? (const void *)(h + t->tp_mac -
			   sizeof(struct virtio_net_hdr)) : NULL);
		h += t->tp_next_offset;
	}
}

static struct tpacket_block_desc *cur_block(const struct pio *io)
{
	return (struct tpacket_block_desc *)(void *)
		(io->ring + (size_t)io->cur * io->block_size);
}

bool pio_rx_block(struct pio *io, pio_rx_fn fn, void *ctx)
{
	struct tpacket_block_desc *bd = cur_block(io);

	if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
	      TP_STATUS_USER))
		return false;
	rx_block(io, bd, fn, ctx);
	return true;
}

void pio_rx_done(struct pio *io)
{
	__atomic_store_n(&cur_block(io)->hdr.bh1.block_status,
			 TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	io->cur = (io->cur + 1) % io->nblocks;
}

void pio_flush(struct pio *io)
{
	struct mmsghdr m[PIO_TX_BATCH];
	struct iovec iov[PIO_TX_BATCH][2];
	unsigned i, done = 0, k;
	int r;

	for (i = 0; i < io->ntx; i++) {
		k = 0;
		if (io->vnet) {	/* every frame starts with one */
			iov[i][k].iov_base = &io->txvh[i];
			iov[i][k++].iov_len = sizeof(io->txvh[i]);
		}
		iov[i][k].iov_base = io->txref[i] ? (void *)(uintptr_t)
				     io->txref[i] : io->txbuf[i];
		iov[i][k++].iov_len = io->txlen[i];
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = iov[i];
		m[i].msg_hdr.msg_iovlen = k;
	}
	while (done < io->ntx) {
		r = sendmmsg(io->fd, m + done, io->ntx - done, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/*
			 * The first frame left was refused (a full queue, a
			 * link gone, a frame the device will not take): drop
			 * it, as a NIC would, and go on with the others.
			 */
			io->tx_errors++;
			done++;
			continue;
		}
		done += (unsigned)r;
	}
	io->ntx = 0;
}

static struct virtio_net_hdr *tx_add(struct pio *io, const uint8_t *frame,
				      uint32_t len, bool ref)
{
	struct virtio_net_hdr *vh;

	if ((!ref && len > PIO_FRAME_MAX) || len > 0xffff + 14) {
		io->tx_errors++;
		return NULL;
	}
	if (io->ntx == PIO_TX_BATCH)
		pio_flush(io);
	if (ref) {
		io->txref[io->ntx] = frame;
	} else {
		io->txref[io->ntx] = NULL;
		memcpy(io->txbuf[io->ntx], frame, len);
	}
	vh = &io->txvh[io->ntx];
	memset(vh, 0, sizeof(*vh));	/* GSO_NONE, checksum complete */
	io->txlen[io->ntx++] = len;
	return vh;
}

void pio_tx(struct pio *io, const uint8_t *frame, uint32_t len)
{
	tx_add(io, frame, len, false);
}

void pio_tx_ref(struct pio *io, const uint8_t *frame, uint32_t len)
{
	tx_add(io, frame, len, true);
}

void pio_tx_partial(struct pio *io, const uint8_t *frame, uint32_t len,
		    uint16_t csum_start, uint16_t csum_offset, bool ref)
{
	struct virtio_net_hdr *vh = tx_add(io, frame, len, ref);

	if (!vh)
		return;
	/* the virtio header is in host order for AF_PACKET (vio_le) */
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = csum_start;
	vh->csum_offset = csum_offset;
	io->tx_partial++;
}

uint64_t pio_drops(struct pio *io)
{
	struct tpacket_stats_v3 st;
	socklen_t sl = sizeof(st);

	if (getsockopt(io->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) < 0)
		return 0;
	return st.tp_drops;
}

void pio_tx_gso(struct pio *io, const uint8_t *frame, uint32_t len,
		uint16_t csum_start, uint16_t hdr_len, uint16_t gso_size,
		uint8_t gso_type)
{
	struct virtio_net_hdr *vh = tx_add(io, frame, len, true);

	if (!vh)
		return;
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->gso_type = gso_type;
	vh->hdr_len = hdr_len;
	vh->gso_size = gso_size;
	vh->csum_start = csum_start;
	vh->csum_offset = 16;
	io->tx_partial++;
	io->tx_gso++;
}
