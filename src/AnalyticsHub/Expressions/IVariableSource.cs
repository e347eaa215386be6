namespace AnalyticsHub.Expressions;

/// <summary>
/// Named values an expression can read, such as the component values of a composite metric. Names
/// are resolved to slots once, at compile time; evaluation reads slots.
/// </summary>
/// <remarks>The source passed to an evaluation must use the same slots as the one the expression was compiled against.</remarks>
public interface IVariableSource
{
    /// <summary>Finds the slot of a variable by name.</summary>
    /// <param name="name">The variable's name.</param>
    /// <param name="slot">The slot, when found.</param>
    /// <returns>Whether the variable exists.</returns>
    bool TryGetSlot(string name, out int slot);

    /// <summary>Reads the value in a slot.</summary>
    /// <param name="slot">A slot returned by <see cref="TryGetSlot"/>.</param>
    /// <returns>The value; <see cref="Value.Null"/> when unset.</returns>
    Value GetValue(int slot);
}
