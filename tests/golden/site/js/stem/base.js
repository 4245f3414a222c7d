// The Snowball runtime for the stemmers beside this file: a line-by-line port of
// snowballstemmer's basestemmer.py and among.py (snowballstemmer 3.x, BSD licence), which the
// generated <lang>.js modules (tools/snowball_js.py) extend. Method names are the Python ones,
// so a generated line reads as the Python line it came from.
//
// Strings are indexed by UTF-16 units here and by code points in Python; the two agree for
// words without characters beyond the Basic Multilingual Plane, and generator/analysis.py
// stems no other words. Groupings are Sets of one-character strings.

export class Among {
  constructor(s, substring_i, result, method = null) {
    this.s = s; // the string looked for
    this.substring_i = substring_i; // index of the longest entry that is a substring of this one
    this.result = result; // what find_among returns for it
    this.method = method; // a condition, called with the stemmer, or null
  }
}

export class BaseStemmer {
  constructor() {
    this.set_current("");
  }

  set_current(value) {
    this.current = value;
    this.cursor = 0;
    this.limit = this.current.length;
    this.limit_backward = 0;
    this.bra = this.cursor;
    this.ket = this.limit;
  }

  get_current() {
    return this.current;
  }

  in_grouping(s) {
    if (this.cursor >= this.limit) return false;
    if (!s.has(this.current[this.cursor])) return false;
    this.cursor += 1;
    return true;
  }

  go_in_grouping(s) {
    while (this.cursor < this.limit) {
      if (!s.has(this.current[this.cursor])) return true;
      this.cursor += 1;
    }
    return false;
  }

  in_grouping_b(s) {
    if (this.cursor <= this.limit_backward) return false;
    if (!s.has(this.current[this.cursor - 1])) return false;
    this.cursor -= 1;
    return true;
  }

  go_in_grouping_b(s) {
    while (this.cursor > this.limit_backward) {
      if (!s.has(this.current[this.cursor - 1])) return true;
      this.cursor -= 1;
    }
    return false;
  }

  out_grouping(s) {
    if (this.cursor >= this.limit) return false;
    if (!s.has(this.current[this.cursor])) {
      this.cursor += 1;
      return true;
    }
    return false;
  }

  go_out_grouping(s) {
    while (this.cursor < this.limit) {
      if (s.has(this.current[this.cursor])) return true;
      this.cursor += 1;
    }
    return false;
  }

  out_grouping_b(s) {
    if (this.cursor <= this.limit_backward) return false;
    if (!s.has(this.current[this.cursor - 1])) {
      this.cursor -= 1;
      return true;
    }
    return false;
  }

  go_out_grouping_b(s) {
    while (this.cursor > this.limit_backward) {
      if (s.has(this.current[this.cursor - 1])) return true;
      this.cursor -= 1;
    }
    return false;
  }

  eq_s(s) {
    // Python: current.startswith(s, cursor, limit)
    if (this.limit - this.cursor < s.length || !this.current.startsWith(s, this.cursor)) return false;
    this.cursor += s.length;
    return true;
  }

  eq_s_b(s) {
    // Python: current.endswith(s, limit_backward, cursor)
    if (this.cursor - this.limit_backward < s.length
        || !this.current.startsWith(s, this.cursor - s.length)) return false;
    this.cursor -= s.length;
    return true;
  }

  find_among(v) {
    let i = 0;
    let j = v.length;
    const c = this.cursor;
    const l = this.limit;
    let common_i = 0;
    let common_j = 0;
    let first_key_inspected = false;
    for (;;) {
      const k = i + ((j - i) >> 1);
      let diff = 0;
      let common = Math.min(common_i, common_j);
      const w = v[k];
      for (let i2 = common; i2 < w.s.length; i2++) {
        if (c + common === l) {
          diff = -1;
          break;
        }
        diff = this.current.charCodeAt(c + common) - w.s.charCodeAt(i2);
        if (diff !== 0) break;
        common += 1;
      }
      if (diff < 0) {
        j = k;
        common_j = common;
      } else {
        i = k;
        common_i = common;
      }
      if (j - i <= 1) {
        if (i > 0) break; // v[i].s has been inspected
        if (j === i) break; // only one item in v
        // but now we need to go round once more to get v[0].s inspected
        if (first_key_inspected) break;
        first_key_inspected = true;
      }
    }
    for (;;) {
      const w = v[i];
      if (common_i >= w.s.length) {
        this.cursor = c + w.s.length;
        if (w.method === null) return w.result;
        if (w.method(this)) {
          this.cursor = c + w.s.length;
          return w.result;
        }
      }
      i = w.substring_i;
      if (i < 0) return 0;
    }
  }

  find_among_b(v) {
    // find_among, backwards
    let i = 0;
    let j = v.length;
    const c = this.cursor;
    const lb = this.limit_backward;
    let common_i = 0;
    let common_j = 0;
    let first_key_inspected = false;
    for (;;) {
      const k = i + ((j - i) >> 1);
      let diff = 0;
      let common = Math.min(common_i, common_j);
      const w = v[k];
      for (let i2 = w.s.length - 1 - common; i2 >= 0; i2--) {
        if (c - common === lb) {
          diff = -1;
          break;
        }
        diff = this.current.charCodeAt(c - 1 - common) - w.s.charCodeAt(i2);
        if (diff !== 0) break;
        common += 1;
      }
      if (diff < 0) {
        j = k;
        common_j = common;
      } else {
        i = k;
        common_i = common;
      }
      if (j - i <= 1) {
        if (i > 0) break;
        if (j === i) break;
        if (first_key_inspected) break;
        first_key_inspected = true;
      }
    }
    for (;;) {
      const w = v[i];
      if (common_i >= w.s.length) {
        this.cursor = c - w.s.length;
        if (w.method === null) return w.result;
        if (w.method(this)) {
          this.cursor = c - w.s.length;
          return w.result;
        }
      }
      i = w.substring_i;
      if (i < 0) return 0;
    }
  }

  replace_s(c_bra, c_ket, s) {
    // Replace the characters between c_bra and c_ket by s; returns the change in length.
    const adjustment = s.length - (c_ket - c_bra);
    this.current = this.current.slice(0, c_bra) + s + this.current.slice(c_ket);
    this.limit += adjustment;
    if (this.cursor >= c_ket) {
      this.cursor += adjustment;
    } else if (this.cursor > c_bra) {
      this.cursor = c_bra;
    }
    return adjustment;
  }

  slice_check() {
    if (this.bra < 0 || this.bra > this.ket || this.ket > this.limit || this.limit > this.current.length) {
      throw new Error(`snowball: bad slice [${this.bra}, ${this.ket}] of "${this.current}"`);
    }
  }

  slice_from(s) {
    this.slice_check();
    this.replace_s(this.bra, this.ket, s);
    this.ket = this.bra + s.length;
  }

  slice_del() {
    this.slice_from("");
  }

  insert(c_bra, c_ket, s) {
    const adjustment = this.replace_s(c_bra, c_ket, s);
    if (c_bra <= this.bra) this.bra += adjustment;
    if (c_bra <= this.ket) this.ket += adjustment;
  }

  slice_to() {
    this.slice_check();
    return this.current.slice(this.bra, this.ket);
  }

  assign_to() {
    return this.current.slice(0, this.limit);
  }

  stemWord(word) {
    this.set_current(word);
    this._stem();
    return this.get_current();
  }
}
