// A small promise wrapper around IndexedDB: the phone's copy of everything.
//
// Stores:
//   meta     {key, value}: the device token, the worker, the last bootstrap
//   records  keyed by instance_id ("uuid:..."): a visit and its outbox state
//   files    keyed by [instance_id, name]: a photo Blob and its upload state
//
// Every record is written here before anything is sent; nothing is deleted
// when the server receives it (the worker sees the receipt).

const NAME = "imbizo-field";
const VERSION = 1;
let opening = null;

export function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (!("indexedDB" in self)) {
        reject(new Error("no-indexeddb"));
        return;
      }
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", {keyPath: "key"});
        if (!db.objectStoreNames.contains("records")) {
          const records = db.createObjectStore("records", {keyPath: "instance_id"});
          records.createIndex("state", "state");
        }
        if (!db.objectStoreNames.contains("files")) {
          const files = db.createObjectStore("files", {keyPath: ["instance_id", "name"]});
          files.createIndex("instance_id", "instance_id");
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("indexeddb-blocked"));
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("aborted"));
  });
}

function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function get(store, key) {
  const db = await open();
  return result(db.transaction(store).objectStore(store).get(key));
}

export async function all(store) {
  const db = await open();
  return result(db.transaction(store).objectStore(store).getAll());
}

export async function put(store, value) {
  const db = await open();
  const transaction = db.transaction(store, "readwrite");
  transaction.objectStore(store).put(value);
  return done(transaction);
}

// A record and its photos in one transaction: a visit is never half saved.
export async function putVisit(record, files) {
  const db = await open();
  const transaction = db.transaction(["records", "files"], "readwrite");
  transaction.objectStore("records").put(record);
  for (const file of files) transaction.objectStore("files").put(file);
  return done(transaction);
}

// Change one stored object in a single read-write transaction.
export async function update(store, key, change) {
  const db = await open();
  const transaction = db.transaction(store, "readwrite");
  const objects = transaction.objectStore(store);
  const request = objects.get(key);
  request.onsuccess = () => {
    if (request.result !== undefined) objects.put(change(request.result));
  };
  return done(transaction);
}

export async function meta(key) {
  const row = await get("meta", key);
  return row === undefined ? undefined : row.value;
}

export async function setMeta(key, value) {
  return put("meta", {key, value});
}

export async function removeMeta(key) {
  const db = await open();
  const transaction = db.transaction("meta", "readwrite");
  transaction.objectStore("meta").delete(key);
  return done(transaction);
}
