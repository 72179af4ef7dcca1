//! Long answers sent while they are written. `/api/tasks` and
//! `/download/tasks` of a national plan run to hundreds of megabytes
//! (1.45 million occurrences: 680 MB of JSON): made whole in memory before
//! the first byte went out, one such request took the server to 1.4 GB and
//! kept the client waiting six seconds. An answer of at most `WHOLE` bytes
//! is still sent whole, with its length, and a command that fails before
//! writing that much gets its refusal as the status; a longer answer goes
//! out in chunks as the command writes it, at most `IN_FLIGHT` chunks
//! waiting, so the server holds the plan and a few chunks — and a client
//! that goes away stops the command.

use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::{mpsc, oneshot};

/// Answers up to this size are sent whole.
const WHOLE: usize = 256 << 10;
/// The size of a chunk once the answer is being sent.
const CHUNK: usize = 256 << 10;
/// Chunks written but not yet sent, at most: past them the command waits
/// for the client.
const IN_FLIGHT: usize = 4;

/// A command's answer: whole, or a body that follows as it is written.
pub enum Answer {
    Whole(Vec<u8>),
    Streamed(Body),
}

impl Answer {
    pub fn body(self) -> Body {
        match self {
            Answer::Whole(bytes) => Body::from(bytes),
            Answer::Streamed(body) => body,
        }
    }
}

/// What the writing thread tells the request first.
enum Head {
    Whole(Vec<u8>),
    Streamed,
    Failed(Box<Response>),
}

/// Runs `write` on a thread that may block, `prefix` written first (a
/// BOM), and answers with what it wrote — or, when it fails before its
/// answer is `WHOLE` bytes long, with the response it fails with.
pub async fn answer<F>(prefix: &'static [u8], write: F) -> Result<Answer, Box<Response>>
where
    F: FnOnce(&mut dyn Write) -> Result<(), Box<Response>> + Send + 'static,
{
    let (head, first) = oneshot::channel();
    let (body, chunks) = mpsc::channel(IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let mut out = Chunks {
            buffer: prefix.to_vec(),
            head: Some(head),
            body,
        };
        let result = write(&mut out);
        out.finish(result);
    });
    match first.await {
        Ok(Head::Whole(bytes)) => Ok(Answer::Whole(bytes)),
        Ok(Head::Streamed) => Ok(Answer::Streamed(Body::from_stream(Received {
            chunks,
            ended: false,
        }))),
        Ok(Head::Failed(response)) => Err(response),
        // The thread ended without a word: it panicked.
        Err(_) => Err(Box::new(StatusCode::INTERNAL_SERVER_ERROR.into_response())),
    }
}

/// The writer a command writes its answer to.
struct Chunks {
    buffer: Vec<u8>,
    /// Until the first chunk is sent: where to say how the answer goes.
    head: Option<oneshot::Sender<Head>>,
    body: mpsc::Sender<Sent>,
}

/// What goes to the response body: a chunk, or the word that the answer
/// is complete. A channel that closes without it (the command failed, or
/// its thread panicked, after the first chunk) breaks the connection off,
/// so the client sees an incomplete answer rather than a short one.
enum Sent {
    Chunk(Bytes),
    Complete,
}

impl Chunks {
    fn send(&mut self) -> io::Result<()> {
        if let Some(head) = self.head.take() {
            // Gone only with the request itself; `blocking_send` says so.
            let _ = head.send(Head::Streamed);
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        self.body
            .blocking_send(Sent::Chunk(Bytes::from(chunk)))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }

    fn finish(mut self, result: Result<(), Box<Response>>) {
        match (self.head.take(), result) {
            (Some(head), Ok(())) => {
                let _ = head.send(Head::Whole(std::mem::take(&mut self.buffer)));
            }
            (Some(head), Err(response)) => {
                let _ = head.send(Head::Failed(response));
            }
            (None, Ok(())) => {
                if self.buffer.is_empty() || self.send().is_ok() {
                    let _ = self.body.blocking_send(Sent::Complete);
                }
            }
            // Part of the answer is out under status 200: without
            // `Complete`, the connection is broken off.
            (None, Err(_)) => {}
        }
    }
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        let limit = if self.head.is_some() { WHOLE } else { CHUNK };
        if self.buffer.len() >= limit {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The chunks as the response body reads them.
struct Received {
    chunks: mpsc::Receiver<Sent>,
    ended: bool,
}

impl futures_core::Stream for Received {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        self.chunks.poll_recv(cx).map(|sent| match sent {
            Some(Sent::Chunk(chunk)) => Some(Ok(chunk)),
            Some(Sent::Complete) => {
                self.ended = true;
                None
            }
            None => {
                self.ended = true;
                Some(Err(io::Error::other("the answer broke off")))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(answer: Result<Answer, Box<Response>>) -> Result<Vec<u8>, String> {
        let Ok(answer) = answer else {
            return Err("refused".into());
        };
        axum::body::to_bytes(answer.body(), usize::MAX)
            .await
            .map(|b| b.to_vec())
            .map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn short_whole_long_in_chunks_and_a_late_failure_breaks_off() {
        let bytes = |n: usize| (0..n).map(|i| (i % 251) as u8).collect::<Vec<u8>>();
        // Short: whole, after the prefix.
        let short = answer(b"\xEF\xBB\xBF", |out| {
            let _ = out.write_all(b"a,b\n");
            Ok(())
        })
        .await;
        assert!(matches!(short, Ok(Answer::Whole(_))));
        assert_eq!(read(short).await.unwrap(), b"\xEF\xBB\xBFa,b\n");
        // Long: in chunks, every byte in order.
        let long = bytes(3 * WHOLE + 17);
        let sent = long.clone();
        let streamed = answer(b"", move |out| {
            for piece in sent.chunks(1000) {
                out.write_all(piece)
                    .map_err(|e| Box::new(e.to_string().into_response()))?;
            }
            Ok(())
        })
        .await;
        assert!(matches!(streamed, Ok(Answer::Streamed(_))));
        assert_eq!(read(streamed).await.unwrap(), long);
        // A failure before `WHOLE` bytes is the status it fails with.
        let refused = answer(b"", |out| {
            let _ = out.write_all(b"partial");
            Err(Box::new(StatusCode::UNPROCESSABLE_ENTITY.into_response()))
        })
        .await;
        assert_eq!(
            refused.err().map(|r| r.status()),
            Some(StatusCode::UNPROCESSABLE_ENTITY)
        );
        // After them, it (or a panic) breaks the answer off.
        let failed = answer(b"", |out| {
            let _ = out.write_all(&vec![b'x'; WHOLE + 1]);
            Err(Box::new(StatusCode::INTERNAL_SERVER_ERROR.into_response()))
        })
        .await;
        assert!(read(failed).await.is_err());
        let panicked = answer(b"", |out| {
            let _ = out.write_all(&vec![b'x'; WHOLE + 1]);
            panic!("a bug in a renderer");
        })
        .await;
        assert!(read(panicked).await.is_err());
    }
}
