/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AF_PACKET I/O for one interface.  Receiving: a TPACKET_V3 ring, whose
 * blocks the kernel hands over full or after a short timeout, so one
 * wakeup brings many frames.  Sending: frames are copied into a batch and
 * go out with one sendmmsg(); veth's transmit path, not the syscall, is
 * the limit there (engine-notes.md 4), so a TX ring would gain little.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include "netif.h"

#define PIO_BLOCK_SIZE (1u << 18)
#define PIO_NBLOCKS 8
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
	int v = TPACKET_V3;

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

static void rx_block(struct tpacket_block_desc *bd, pio_rx_fn fn, void *ctx)
{
	uint8_t *h = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
	const struct tpacket3_hdr *t;
	const struct sockaddr_ll *sll;
	uint32_t i;

	for (i = 0; i < bd->hdr.bh1.num_pkts; i++) {
		t = (const struct tpacket3_hdr *)(void *)h;
		sll = (const struct sockaddr_ll *)(void *)
			(h + TPACKET_ALIGN(sizeof(*t)));
		if (sll->sll_pkttype != PACKET_OUTGOING)
			fn(ctx, h + t->tp_mac, t->tp_len, t->tp_snaplen,
			   t->tp_status);
		h += t->tp_next_offset;
	}
}

unsigned pio_rx(struct pio *io, pio_rx_fn fn, void *ctx)
{
	struct tpacket_block_desc *bd;
	unsigned n = 0;

	for (;;) {
		bd = (struct tpacket_block_desc *)(void *)
			(io->ring + (size_t)io->cur * io->block_size);
		if (!(__atomic_load_n(&bd->hdr.bh1.block_status,
				      __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		rx_block(bd, fn, ctx);
		n += bd->hdr.bh1.num_pkts;
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
		io->cur = (io->cur + 1) % io->nblocks;
	}
	return n;
}

void pio_flush(struct pio *io)
{
	struct mmsghdr m[PIO_TX_BATCH];
	struct iovec iov[PIO_TX_BATCH];
	unsigned i, done = 0;
	int r;

	for (i = 0; i < io->ntx; i++) {
		iov[i].iov_base = io->txbuf[i];
		iov[i].iov_len = io->txlen[i];
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < io->ntx) {
		r = sendmmsg(io->fd, m + done, io->ntx - done, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* a full queue or a link gone: drop, as a NIC would */
			io->tx_errors += io->ntx - done;
			break;
		}
		done += (unsigned)r;
	}
	io->ntx = 0;
}

void pio_tx(struct pio *io, const uint8_t *frame, uint32_t len)
{
	if (len > PIO_FRAME_MAX) {
		io->tx_errors++;
		return;
	}
	if (io->ntx == PIO_TX_BATCH)
		pio_flush(io);
	memcpy(io->txbuf[io->ntx], frame, len);
	io->txlen[io->ntx++] = (uint16_t)len;
}

uint64_t pio_drops(struct pio *io)
{
	struct tpacket_stats_v3 st;
	socklen_t sl = sizeof(st);

	if (getsockopt(io->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) < 0)
		return 0;
	return st.tp_drops;
}
