#!/bin/sh
echo "run from the golden fixture"
