module github.com/lmtriad/lmtriad

go 1.26.8
