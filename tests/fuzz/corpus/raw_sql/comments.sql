SELECT ? -- is this ?
, /* what about ? /* nested ? */ still ? */ ?