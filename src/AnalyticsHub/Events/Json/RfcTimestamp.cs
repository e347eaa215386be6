namespace AnalyticsHub.Events.Json;

/// <summary>
/// RFC 3339 timestamps as the producers write them: a zone is required (<c>Z</c> or an offset) and
/// the value is normalised to UTC; output is <c>Z</c> with 0, 3, 6 or 9 fractional digits, the
/// shortest that is exact.
/// </summary>
internal static class RfcTimestamp
{
    /// <summary>The longest output: <c>yyyy-MM-ddTHH:mm:ss.fffffffffZ</c>.</summary>
    public const int MaxLength = 30;

    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    /// <summary>Parses <c>yyyy-MM-ddTHH:mm:ss[.f+](Z|±HH:MM)</c>; digits beyond 100 ns are truncated.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20
            || !TryDigits(s, 0, 4, out var year) || s[4] != '-'
            || !TryDigits(s, 5, 2, out var month) || s[7] != '-'
            || !TryDigits(s, 8, 2, out var day) || (s[10] | 0x20) != 't' && s[10] != ' '
            || !TryDigits(s, 11, 2, out var hour) || s[13] != ':'
            || !TryDigits(s, 14, 2, out var minute) || s[16] != ':'
            || !TryDigits(s, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            var start = i;
            var scale = TicksPerSecond / 10;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                fractionTicks += (s[i] - '0') * scale;
                scale /= 10;
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i >= s.Length)
        {
            return false;
        }

        var offsetMinutes = 0;
        if ((s[i] | 0x20) == 'z')
        {
            i++;
        }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            if (s.Length - i != 6 || !TryDigits(s, i + 1, 2, out var oh) || s[i + 3] != ':' || !TryDigits(s, i + 4, 2, out var om)
                || oh > 23 || om > 59)
            {
                return false;
            }

            offsetMinutes = (oh * 60) + om;
            if (s[i] == '-')
            {
                offsetMinutes = -offsetMinutes;
            }

            i += 6;
        }
        else
        {
            return false;
        }

        if (i != s.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks
            - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Writes the UTC form into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes).</summary>
    public static int Format(DateTimeOffset value, Span<byte> destination)
    {
        var utc = value.UtcDateTime;
        WriteDigits(destination, 0, 4, utc.Year);
        destination[4] = (byte)'-';
        WriteDigits(destination, 5, 2, utc.Month);
        destination[7] = (byte)'-';
        WriteDigits(destination, 8, 2, utc.Day);
        destination[10] = (byte)'T';
        WriteDigits(destination, 11, 2, utc.Hour);
        destination[13] = (byte)':';
        WriteDigits(destination, 14, 2, utc.Minute);
        destination[16] = (byte)':';
        WriteDigits(destination, 17, 2, utc.Second);

        var fraction = (int)(utc.Ticks % TicksPerSecond);
        var length = 19;
        if (fraction != 0)
        {
            destination[length++] = (byte)'.';
            if (fraction % 10_000 == 0)
            {
                WriteDigits(destination, length, 3, fraction / 10_000);
                length += 3;
            }
            else if (fraction % 10 == 0)
            {
                WriteDigits(destination, length, 6, fraction / 10);
                length += 6;
            }
            else
            {
                WriteDigits(destination, length, 7, fraction);
                destination[length + 7] = (byte)'0';
                destination[length + 8] = (byte)'0';
                length += 9;
            }
        }

        destination[length++] = (byte)'Z';
        return length;
    }

    /// <summary>The UTC wire form as a string.</summary>
    public static string ToString(DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var length = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..length]);
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }

    private static void WriteDigits(Span<byte> destination, int start, int count, int value)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
