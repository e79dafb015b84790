// Drop the index named $name, when there is one (before it is made again with other options).
DROP INDEX $name IF EXISTS
