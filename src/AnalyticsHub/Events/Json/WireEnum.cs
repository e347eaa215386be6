using System.Runtime.CompilerServices;
using System.Text;

namespace AnalyticsHub.Events.Json;

/// <summary>
/// The wire names of one closed enum: canonical names for writing, case-insensitive matching (plus
/// aliases) for reading, and the list of allowed values for error messages.
/// </summary>
internal class WireEnum
{
    private readonly byte[][] _utf8Names;
    private readonly (byte[] Alias, int Value)[] _aliases;

    protected WireEnum(string typeName, string[] names, (string Alias, int Value)[]? aliases)
    {
        TypeName = typeName;
        Names = names;
        _utf8Names = Array.ConvertAll(names, Encoding.UTF8.GetBytes);
        _aliases = Array.ConvertAll(aliases ?? [], a => (Encoding.UTF8.GetBytes(a.Alias), a.Value));
        Allowed = string.Join(", ", names);
    }

    /// <summary>The C# name of the enum, for messages.</summary>
    public string TypeName { get; }

    /// <summary>Canonical wire names, indexed by the enum's value.</summary>
    public string[] Names { get; }

    /// <summary>The allowed wire names joined with commas.</summary>
    public string Allowed { get; }

    public byte[] Utf8Name(int value) => _utf8Names[value];

    /// <summary>Matches a wire name case-insensitively (ASCII), then the aliases.</summary>
    public bool TryParse(ReadOnlySpan<byte> utf8, out int value)
    {
        for (var i = 0; i < _utf8Names.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(utf8, _utf8Names[i]))
            {
                value = i;
                return true;
            }
        }

        foreach (var (alias, aliasValue) in _aliases)
        {
            if (Ascii.EqualsIgnoreCase(utf8, alias))
            {
                value = aliasValue;
                return true;
            }
        }

        value = -1;
        return false;
    }

    /// <summary>Matches a wire name given as a .NET string.</summary>
    public bool TryParse(string name, out int value)
    {
        Span<byte> buffer = stackalloc byte[64];
        if (Encoding.UTF8.GetMaxByteCount(name.Length) > buffer.Length)
        {
            value = -1;
            return TryParse(Encoding.UTF8.GetBytes(name), out value);
        }

        var length = Encoding.UTF8.GetBytes(name, buffer);
        return TryParse(buffer[..length], out value);
    }
}

/// <summary>The wire names of the enum <typeparamref name="TEnum"/>, whose values run 0..n-1.</summary>
internal sealed class WireEnum<TEnum> : WireEnum
    where TEnum : struct, Enum
{
    public WireEnum(string[] names, params (string Alias, TEnum Value)[] aliases)
        : base(typeof(TEnum).Name, names, Array.ConvertAll(aliases, a => (a.Alias, ToInt(a.Value))))
    {
        if (Enum.GetValues<TEnum>().Length != names.Length)
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name}: {names.Length} wire names for {Enum.GetValues<TEnum>().Length} values.");
        }
    }

    public string GetName(TEnum value) => Names[ToInt(value)];

    public byte[] Utf8Name(TEnum value) => Utf8Name(ToInt(value));

    public bool TryParse(string name, out TEnum value)
    {
        var ok = TryParse(name, out int raw);
        value = ok ? FromInt(raw) : default;
        return ok;
    }

    public static TEnum FromInt(int value) => Unsafe.As<int, TEnum>(ref value);

    private static int ToInt(TEnum value) => Unsafe.As<TEnum, int>(ref value);
}
