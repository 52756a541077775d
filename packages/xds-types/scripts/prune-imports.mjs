// Drops the imports of a FileDescriptorProto that no field, extension or method of the file uses.
//
// Almost every Envoy proto imports `validate/validate.proto` and the `udpa`/`xds`/`envoy`
// annotation files only for custom options. protobuf-es keeps such option values as unknown fields
// either way, but it builds each generated file's descriptor together with its whole import tree
// at import time, so those imports made loading the package several times slower (docs:
// ../README.md, "Import cost"). The option bytes stay in the descriptor; only the import goes.

/** The fully qualified names (`.pkg.Msg.Nested`) of the messages and enums a file defines. */
function definedTypes(file) {
  const names = new Set();
  const prefix = file.package ? `.${file.package}` : '';
  const addMessages = (messages, scope) => {
    for (const message of messages) {
      const name = `${scope}.${message.name}`;
      names.add(name);
      addMessages(message.nestedType, name);
      for (const e of message.enumType) names.add(`${name}.${e.name}`);
    }
  };
  addMessages(file.messageType, prefix);
  for (const e of file.enumType) names.add(`${prefix}.${e.name}`);
  return names;
}

/** The type names a file refers to: field and extension types, extendees, method inputs and outputs. */
function usedTypes(file) {
  const used = new Set();
  const addFields = (fields) => {
    for (const field of fields) {
      if (field.typeName) used.add(field.typeName);
      if (field.extendee) used.add(field.extendee);
    }
  };
  const addMessages = (messages) => {
    for (const message of messages) {
      addFields(message.field);
      addFields(message.extension);
      addMessages(message.nestedType);
    }
  };
  addMessages(file.messageType);
  addFields(file.extension);
  for (const service of file.service) {
    for (const method of service.method) {
      used.add(method.inputType);
      used.add(method.outputType);
    }
  }
  return used;
}

/**
 * Removes, in place, every import of each file that provides none of the types the file uses
 * (a file provides its own types and those of its public imports). Public imports are kept.
 * `files` holds every file of the set, dependencies included. Returns how many imports went.
 */
export function pruneUnusedImports(files) {
  const byName = new Map(files.map((f) => [f.name, f]));
  const provided = new Map();
  const provides = (name) => {
    let names = provided.get(name);
    if (names) return names;
    const file = byName.get(name);
    names = definedTypes(file);
    provided.set(name, names);
    for (const index of file.publicDependency) for (const n of provides(file.dependency[index])) names.add(n);
    return names;
  };
  let removed = 0;
  for (const file of files) {
    const used = usedTypes(file);
    const keep = file.dependency.map((dep, index) => file.publicDependency.includes(index) || [...used].some((n) => provides(dep).has(n)));
    const newIndex = [];
    let next = 0;
    for (const kept of keep) newIndex.push(kept ? next++ : -1);
    removed += keep.length - next;
    file.publicDependency = file.publicDependency.map((i) => newIndex[i]);
    file.weakDependency = file.weakDependency.map((i) => newIndex[i]).filter((i) => i >= 0);
    file.dependency = file.dependency.filter((_, index) => keep[index]);
  }
  return removed;
}
