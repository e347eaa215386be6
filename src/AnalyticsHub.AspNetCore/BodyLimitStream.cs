namespace AnalyticsHub.AspNetCore;

/// <summary>
/// A read-only view of a request body that ends at a byte limit: past it, reads return 0 (end of input) and
/// <see cref="Exceeded"/> says the body was longer, so what was read before the limit is still answered for.
/// </summary>
internal sealed class BodyLimitStream(Stream inner, long limit) : Stream
{
    private long _read;

    /// <summary>Whether the body held more than the limit.</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Exceeded || buffer.IsEmpty)
        {
            return 0;
        }

        // One byte beyond the limit tells a body that ends exactly there from a longer one.
        var allowed = limit - _read + 1;
        var slice = allowed < buffer.Length ? buffer[..(int)allowed] : buffer;
        var count = await inner.ReadAsync(slice, cancellationToken).ConfigureAwait(false);
        if (_read + count > limit)
        {
            Exceeded = true;
            count = (int)(limit - _read);
        }

        _read += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the request body asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
