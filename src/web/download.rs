//! A download written while it is sent: a blocking task writes into a channel that the
//! response body reads, so that a listing of any size leaves the server with flat memory
//! (a CSV of every 的 of the dev corpus is 188 MB).

use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use futures_core::Stream;
use tokio::sync::mpsc;

use fazhi::Error;

/// Bytes gathered before they go to the body.
const CHUNK_BYTES: usize = 1 << 16;

/// Chunks written ahead of the client at most.
const CHUNKS_AHEAD: usize = 4;

/// What the writing task sends.
enum Piece {
    /// The next bytes of the body.
    Bytes(Bytes),
    /// The error that stopped the writing.
    Failed(Error),
}

/// The writing end of a download: a [`Write`] whose bytes become the body.
pub struct BodyWriter {
    buffer: Vec<u8>,
    send: mpsc::Sender<Piece>,
}

impl BodyWriter {
    /// Hands what is gathered over to the body.
    fn send_buffer(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.send
            .blocking_send(Piece::Bytes(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for BodyWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send_buffer()?;
        }
        Ok(bytes.len())
    }

    /// Keeps what is gathered until a chunk is full or the writing ends: writers flush
    /// when dropped, even on their way out of an error, and bytes sent before the error
    /// would start a `200` answer to a refused request.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `write` on a blocking thread and returns the body it writes. An error before the first [`CHUNK_BYTES`] (a refused phrase, say)
/// is returned here, so that it can still be answered with its status; a later one
/// cuts the download short.
pub async fn streamed(
    write: impl FnOnce(&mut BodyWriter) -> Result<(), Error> + Send + 'static,
) -> Result<Body, Error> {
    let (send, mut receive) = mpsc::channel(CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut writer = BodyWriter {
            buffer: Vec::with_capacity(CHUNK_BYTES),
            send: send.clone(),
        };
        let written = write(&mut writer).and_then(|()| Ok(writer.send_buffer()?));
        if let Err(err) = written {
            // The client may be gone already: then nobody needs to hear it.
            let _ = send.blocking_send(Piece::Failed(err));
        }
    });
    let first = match receive.recv().await {
        Some(Piece::Bytes(bytes)) => Some(bytes),
        Some(Piece::Failed(err)) => return Err(err),
        None => None,
    };
    Ok(Body::from_stream(Pieces { first, receive }))
}

/// The body's side of the channel.
struct Pieces {
    first: Option<Bytes>,
    receive: mpsc::Receiver<Piece>,
}

impl Stream for Pieces {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(first)));
        }
        self.receive.poll_recv(cx).map(|piece| {
            piece.map(|piece| match piece {
                Piece::Bytes(bytes) => Ok(bytes),
                Piece::Failed(err) => Err(io::Error::other(err.to_string())),
            })
        })
    }
}
