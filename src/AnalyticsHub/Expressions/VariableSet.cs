namespace AnalyticsHub.Expressions;

/// <summary>A fixed set of named variables with mutable values, e.g. <c>total_cost_usd</c> and <c>request_count</c> for a formula.</summary>
/// <remarks>Not thread-safe for writes; compile against one set and evaluate with it (or a set of the same names).</remarks>
public sealed class VariableSet : IVariableSource
{
    private readonly Dictionary<string, int> _slots;
    private readonly Value[] _values;

    /// <summary>Creates a set of variables, all null, in the order given (the order defines the slots).</summary>
    /// <param name="names">The distinct variable names.</param>
    /// <exception cref="ArgumentException">A name is repeated or empty.</exception>
    public VariableSet(params IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _slots = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            ArgumentException.ThrowIfNullOrEmpty(names[i], nameof(names));
            if (!_slots.TryAdd(names[i], i))
            {
                throw new ArgumentException($"The variable '{names[i]}' is declared twice.", nameof(names));
            }
        }

        Names = [.. names];
        _values = new Value[names.Count];
    }

    /// <summary>The variable names, in slot order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Gets or sets a variable's value by slot.</summary>
    /// <param name="slot">The slot (the name's index in <see cref="Names"/>).</param>
    public Value this[int slot]
    {
        get => _values[slot];
        set => _values[slot] = value;
    }

    /// <summary>Gets or sets a variable's value by name.</summary>
    /// <param name="name">A declared name.</param>
    /// <exception cref="KeyNotFoundException">The name is not declared.</exception>
    public Value this[string name]
    {
        get => _values[_slots[name]];
        set => _values[_slots[name]] = value;
    }

    /// <summary>Sets a variable to a number by name.</summary>
    /// <param name="name">A declared name.</param>
    /// <param name="value">The number; NaN and infinities become null.</param>
    /// <returns>This set, for chaining.</returns>
    public VariableSet Set(string name, double value)
    {
        this[name] = Value.FromNumber(value);
        return this;
    }

    /// <summary>Sets every variable to null.</summary>
    public void Clear() => Array.Clear(_values);

    /// <inheritdoc/>
    public bool TryGetSlot(string name, out int slot) => _slots.TryGetValue(name, out slot);

    /// <inheritdoc/>
    public Value GetValue(int slot) => (uint)slot < (uint)_values.Length ? _values[slot] : Value.Null;
}
