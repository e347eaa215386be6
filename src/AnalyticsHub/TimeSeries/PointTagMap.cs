using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AnalyticsHub.TimeSeries;

/// <summary>
/// The payload-specific tags of one extracted point (a handful at most): two small arrays searched linearly, a
/// fraction of a <see cref="Dictionary{TKey, TValue}"/>'s size. Filled by <see cref="PointExtractor"/>, then read only.
/// </summary>
internal sealed class PointTagMap : IReadOnlyDictionary<string, string>
{
    private string[] _keys = new string[2];
    private string[] _values = new string[2];

    public int Count { get; private set; }

    public IEnumerable<string> Keys => _keys.Take(Count);

    public IEnumerable<string> Values => _values.Take(Count);

    /// <summary>Gets a value, or sets one (replacing the key's value when present).</summary>
    public string this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No tag '{key}'.");
        set
        {
            var i = IndexOf(key);
            if (i >= 0)
            {
                _values[i] = value;
            }
            else
            {
                Append(key, value);
            }
        }
    }

    /// <summary>Adds the tag unless the key is present; true when added.</summary>
    public bool TryAdd(string key, string value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        Append(key, value);
        return true;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Empties the map (a scratch map reused by <see cref="TagSetInterner"/>).</summary>
    public void Clear()
    {
        Array.Clear(_keys, 0, Count);
        Array.Clear(_values, 0, Count);
        Count = 0;
    }

    /// <summary>A copy holding exactly these tags, in the same order.</summary>
    public PointTagMap Copy()
    {
        var copy = new PointTagMap { _keys = _keys.AsSpan(0, Count).ToArray(), _values = _values.AsSpan(0, Count).ToArray(), Count = Count };
        return copy;
    }

    /// <summary>Whether <paramref name="other"/> holds the same tags in the same order (ordinal).</summary>
    public bool SequenceEqual(PointTagMap other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!string.Equals(_keys[i], other._keys[i], StringComparison.Ordinal) || !string.Equals(_values[i], other._values[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hash of the tags in order (ordinal), matching <see cref="SequenceEqual"/>.</summary>
    public int SequenceHash()
    {
        var hash = default(HashCode);
        for (var i = 0; i < Count; i++)
        {
            hash.Add(_keys[i], StringComparer.Ordinal);
            hash.Add(_values[i], StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The i-th tag in insertion order (enumerates without allocating).</summary>
    public KeyValuePair<string, string> At(int i) => new(_keys[i], _values[i]);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Append(string key, string value)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Math.Max(2, Count * 2));
            Array.Resize(ref _values, Math.Max(2, Count * 2));
        }

        _keys[Count] = key;
        _values[Count] = value;
        Count++;
    }
}
